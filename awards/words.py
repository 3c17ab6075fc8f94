"""Amounts in Vietnamese words, as written on a decision: 18000000 → "Mười tám triệu đồng".

Pure standard library, no Django. The conventions are the usual ones of Vietnamese
accounting documents:
- groups of three digits named nghìn, triệu, tỷ; above tỷ the names repeat
  (1 000 tỷ = "một nghìn tỷ");
- inside a group that follows another, an empty hundreds place still reads "không trăm"
  (1 050 000 = "một triệu không trăm năm mươi nghìn") and an empty tens place before a
  unit reads "linh" (105 = "một trăm linh năm");
- "mười" for 10–19, "mươi" from 20; a unit 1 after "mươi" is "mốt" (21 = "hai mươi mốt"),
  a unit 5 after a tens digit is "lăm" (15 = "mười lăm", 25 = "hai mươi lăm");
  a unit 4 stays "bốn" (24 = "hai mươi bốn"), as banks and treasuries write it;
- groups that are all zeros are skipped (1 000 500 = "một triệu năm trăm").
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")
BILLION = 1_000_000_000


def _tens_and_units(tens: int, units: int) -> list[str]:
    if tens == 0:
        return [DIGITS[units]] if units else []
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("một" if tens == 1 else "mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _group(number: int, leading: bool) -> list[str]:
    """Words for 0 < number < 1000; `leading` when no group comes before it."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0 and units and words:
        words.append("linh")
    words += _tens_and_units(tens, units)
    return words


def _below_billion(number: int, leading: bool) -> list[str]:
    words: list[str] = []
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _group(group, leading=leading and not words)
        if GROUPS[index]:
            words.append(GROUPS[index])
    return words


def _words(number: int, leading: bool = True) -> list[str]:
    if number >= BILLION:
        high, low = divmod(number, BILLION)
        words = _words(high, leading) + ["tỷ"]
        if low:
            words += _below_billion(low, leading=False)
        return words
    return _below_billion(number, leading)


def number_words(number: int) -> str:
    """A whole number ≥ 0 in lower-case Vietnamese words: 2050 → "hai nghìn không trăm năm mươi"."""
    if not isinstance(number, int) or isinstance(number, bool):
        raise TypeError("Chỉ đọc được số nguyên.")
    if number < 0:
        return "âm " + number_words(-number)
    if number == 0:
        return DIGITS[0]
    return " ".join(_words(number))


def amount_in_words(amount: int) -> str:
    """An amount of đồng as a decision writes it: 18000000 → "Mười tám triệu đồng"."""
    text = f"{number_words(amount)} đồng"
    return text[0].upper() + text[1:]


def recipients_phrase(collectives: int, individuals: int) -> str:
    """How many collectives and persons, a part that is zero left out: "2 tập thể và 3 cá
    nhân", "2 tập thể", "1 cá nhân"; none at all: "không tập thể, cá nhân nào"."""
    parts = [f"{count} {noun}" for count, noun in ((collectives, "tập thể"), (individuals, "cá nhân")) if count]
    return " và ".join(parts) or "không tập thể, cá nhân nào"


def yes_no(value: bool) -> str:
    """A yes-or-no column as people read it ("Có" / "Không"), never 1 / 0 or True / False."""
    return "Có" if value else "Không"

