import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from podpora.customers.validators import validate_dic, validate_ico
from podpora.demo import make_ico


@pytest.mark.parametrize("ico", ["25596641", "27082440", "00006947", " 2559 6641 "])
def test_valid_ico(ico):
    validate_ico(ico)


@pytest.mark.parametrize("ico", ["25596642", "1234567", "123456789", "abcdefgh", "", "2559664a"])
def test_invalid_ico_has_czech_message(ico):
    with pytest.raises(ValidationError) as exc:
        validate_ico(ico)
    assert "IČO" in exc.value.messages[0]
    assert exc.value.code == "invalid_ico"


@pytest.mark.parametrize("dic", ["CZ25596641", "cz 25596641", "SK2020317068"])
def test_valid_dic(dic):
    validate_dic(dic)


@pytest.mark.parametrize("dic", ["CZ25596642", "25596641", "DE123456789", "SK2020317069"])
def test_invalid_dic(dic):
    with pytest.raises(ValidationError):
        validate_dic(dic)


# IČOs beginning with 9 are not issued (python-stdnum rejects them).
@given(st.integers(min_value=0, max_value=8_999_999))
def test_generated_ico_is_valid_and_other_check_digits_are_not(seed):
    ico = make_ico(seed)
    validate_ico(ico)
    for wrong in "0123456789":
        if wrong != ico[-1]:
            with pytest.raises(ValidationError):
                validate_ico(ico[:-1] + wrong)
