"""Figures in answers read as a banker reads them."""
import pytest

from toolkits.formatting import money


@pytest.mark.parametrize("value, text", [
    (12_345_678, "1,234.57万元"),
    (3_116_000_000, "31.16亿元"),
    (1_234.5, "1,234.50元"),
    (1_000_000, "100.00万元"),
])
def test_money_reads_in_the_unit_bankers_use(value, text):
    assert money(value) == text


@pytest.mark.parametrize("value, text", [
    (999_960, "99.996万元"),
    (9_999.996, "9,999.996元"),
    (-999_960, "-99.996万元"),
])
def test_money_below_a_whole_number_never_rounds_up_onto_it(value, text):
    assert money(value) == text
