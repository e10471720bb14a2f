import pytest
from django.core.exceptions import ValidationError

from families.phones import is_fiction, masked, national, parse_mobile


@pytest.mark.parametrize(
    "typed",
    ["06 39 98 00 01", "06.39.98.00.01", "+33 6 39 98 00 01", "0033639980001", "0639980001"],
)
def test_a_fiction_number_is_read_in_every_usual_spelling(typed):
    assert parse_mobile(typed) == "+33639980001"


def test_a_real_mobile_number_is_kept_in_e164():
    assert parse_mobile("06 12 34 56 78") == "+33612345678"


@pytest.mark.parametrize("typed", ["01 23 45 67 89", "06 12", "pas un numéro", ""])
def test_landlines_and_nonsense_are_refused(typed):
    with pytest.raises(ValidationError):
        parse_mobile(typed)


def test_only_the_arcep_fiction_range_counts_as_fiction():
    assert is_fiction("+33639980001") and is_fiction("+33639989999")
    assert not is_fiction("+33639970001") and not is_fiction("+33612345678")


def test_numbers_are_shown_as_a_french_parent_reads_them():
    """Never split across two lines: the groups are joined by non-breaking spaces."""
    assert national("+33639980001") == "06\u00a039\u00a098\u00a000\u00a001"
    assert masked("+33639980001") == "06\u00a0**\u00a0**\u00a0**\u00a001"
    assert " " not in national("+441632960001")
