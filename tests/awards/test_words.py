"""Amounts in Vietnamese words: pure function, no database."""

import pytest

from awards.words import amount_in_words, number_words, recipients_phrase


@pytest.mark.parametrize(("number", "words"), [
    (0, "không"),
    (1, "một"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (1_000, "một nghìn"),
    (1_005, "một nghìn không trăm linh năm"),
    (1_010, "một nghìn không trăm mười"),
    (1_100, "một nghìn một trăm"),
    (500_000, "năm trăm nghìn"),
    (1_000_500, "một triệu năm trăm"),
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    (2_000_000, "hai triệu"),
    (3_500_000, "ba triệu năm trăm nghìn"),
    (18_000_000, "mười tám triệu"),
    (54_000_000, "năm mươi bốn triệu"),
    (1_000_000_000, "một tỷ"),
    (1_000_000_005, "một tỷ không trăm linh năm"),
    (2_015_000_000, "hai tỷ không trăm mười lăm triệu"),
    (1_000_000_000_000, "một nghìn tỷ"),
])
def test_number_words(number, words):
    assert number_words(number) == words


@pytest.mark.parametrize(("amount", "text"), [
    (18_000_000, "Mười tám triệu đồng"),
    (5_000_000, "Năm triệu đồng"),
    (11_500_000, "Mười một triệu năm trăm nghìn đồng"),
    (0, "Không đồng"),
])
def test_amount_in_words_is_capitalised_and_in_dong(amount, text):
    assert amount_in_words(amount) == text


def test_words_refuse_fractions():
    with pytest.raises(TypeError):
        number_words(1.5)


@pytest.mark.parametrize(("collectives", "individuals", "text"), [
    (2, 3, "2 tập thể và 3 cá nhân"),
    (2, 0, "2 tập thể"),
    (0, 1, "1 cá nhân"),
    (0, 0, "không tập thể, cá nhân nào"),
])
def test_a_count_of_recipients_leaves_out_a_part_that_is_zero(collectives, individuals, text):
    assert recipients_phrase(collectives, individuals) == text

