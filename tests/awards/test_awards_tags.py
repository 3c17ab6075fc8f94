from decimal import Decimal

import pytest

from awards.templatetags.awards_tags import percent_text


@pytest.mark.parametrize(("value", "shown"), [
    ("85.4", "85,4 %"),
    ("1234.5", "1.234,5 %"),  # a rate far above plan: dot thousands, comma decimals
    ("-12345.67", "-12.345,67 %"),
    ("81", "81 %"),  # a threshold as the snapshot keeps it, without trailing zeros
    ("3.50", "3,50 %"),  # the places it has, no more, no fewer
    (Decimal("91.20"), "91,20 %"),
    (None, "–"),
    ("", "–"),
])
def test_percent_text_reads_as_vietnamese(value, shown):
    assert percent_text(value) == shown
