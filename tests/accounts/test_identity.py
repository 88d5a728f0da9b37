import datetime

import pytest
from django.core.exceptions import ValidationError

from gongchuang.accounts.identity import (
    birth_date_from_national_id,
    national_id_check_digit,
    national_id_hash,
    validate_national_id,
)

VALID = "11010520120315001X"  # check digit computed below


def make_id(first17: str) -> str:
    return first17 + national_id_check_digit(first17)


def test_check_digit_of_the_standard_example():
    # GB 11643-1999 worked example: 11010519491231002X
    assert national_id_check_digit("11010519491231002") == "X"


def test_valid_number_is_normalised_to_upper_case():
    number = make_id("11010820120315123")
    assert validate_national_id(number.lower() + " ") == number.upper()


@pytest.mark.parametrize("bad", ["123", "11010519491231002Y", "110105194912310021", "1101051949123100AX"])
def test_invalid_numbers_are_refused(bad):
    with pytest.raises(ValidationError):
        validate_national_id(bad)


def test_impossible_birth_date_is_refused():
    with pytest.raises(ValidationError) as info:
        validate_national_id(make_id("11010520120230123"))
    assert info.value.code == "id_birth_date"


def test_birth_date_is_read_from_the_number():
    assert birth_date_from_national_id(make_id("11010520120315123")) == datetime.date(2012, 3, 15)


def test_hash_is_keyed_and_stable(settings):
    number = make_id("11010520120315123")
    first = national_id_hash(number)
    assert first == national_id_hash(number.lower())
    assert number not in first and len(first) == 64
    settings.IDENTITY_HASH_KEY = "another-key"
    assert national_id_hash(number) != first
