"""Vietnamese alphabetical order, for lists of people and units sorted in Python.

Python (and a database with a "C" collation) sorts by code point, so "Đức" comes after "Hà"
and "Ánh" after "Yến". Vietnamese orders the letters a ă â b c d đ e ê g h i k l m n o ô ơ p q
r s t u ư v x y, then, for words alike but for their tones, no tone before the grave, hook,
tilde, acute and dot below.
"""

import unicodedata

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {letter: rank for rank, letter in enumerate(_LETTERS)}
_LETTER_MARKS = "\u0306\u0302\u031b"  # breve (ă), circumflex (â ê ô), horn (ơ ư): part of the letter
_TONES = "\u0300\u0309\u0303\u0301\u0323"  # grave, hook above, tilde, acute, dot below


def vietnamese_sort_key(text: str) -> tuple:
    """A key that sorts Vietnamese text as a Vietnamese reader expects: letters first (ignoring
    tones and case), then tones, then case."""
    letters, tones = [], []
    # Typed decomposed ("tổ hợp" in Unikey), a tone is a character of its own: compose first.
    text = unicodedata.normalize("NFC", text)
    for character in text:
        base, *marks = unicodedata.normalize("NFD", character.lower())
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        # A letter outside the alphabet (f, j, w, z, digits, spaces) keeps its code point's
        # place, after the alphabet; a space sorts before any letter.
        letters.append(-1 if letter.isspace() else _RANK.get(letter, len(_RANK) + ord(letter[0])))
        tones.append(next((_TONES.index(m) + 1 for m in marks if m in _TONES), 0))
    return tuple(letters), tuple(tones), text
