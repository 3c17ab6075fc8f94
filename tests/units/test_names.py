"""Vietnamese alphabetical order (units.names)."""

from units.names import vietnamese_sort_key


def ordered(*names: str) -> list[str]:
    return sorted(names, key=vietnamese_sort_key)


def test_d_with_stroke_comes_right_after_d_not_after_z():
    assert ordered("Hoàng Văn Toàn", "Hoàng Đức Thắng", "Hoàng Dũng") == [
        "Hoàng Dũng", "Hoàng Đức Thắng", "Hoàng Văn Toàn"]


def test_letters_with_breve_circumflex_and_horn_are_letters_of_their_own():
    assert ordered("Ân", "Ăn", "An", "Bình") == ["An", "Ăn", "Ân", "Bình"]
    assert ordered("Ơn", "Ôn", "On") == ["On", "Ôn", "Ơn"]
    assert ordered("Ưng", "Uyên", "Vân") == ["Uyên", "Ưng", "Vân"]


def test_tones_decide_only_between_words_alike_otherwise():
    # No tone, grave, hook, tilde, acute, dot below.
    assert ordered("Má", "Mạ", "Mà", "Ma", "Mả", "Mã") == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert ordered("Ánh", "Anh", "Yến") == ["Anh", "Ánh", "Yến"]  # not after Y, as code points put it


def test_a_shorter_name_comes_first_and_case_is_ignored():
    assert ordered("Lê Thị Hà", "lê thị hà", "Lê Thị") == ["Lê Thị", "Lê Thị Hà", "lê thị hà"]


def test_names_typed_decomposed_sort_as_the_same_letters():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Ăn")
    assert ordered(decomposed, "Ân", "An") == ["An", decomposed, "Ân"]
