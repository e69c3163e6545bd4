import datetime as dt

import pytest

from dixian.registry import idcard


def test_valid_id_gives_birth_date_and_sex():
    number = idcard.make("360724", dt.date(1985, 3, 7), 123)
    parsed = idcard.parse(number)
    assert parsed.birth_date == dt.date(1985, 3, 7)
    assert parsed.sex == "男"  # odd sequence digit
    assert idcard.parse(idcard.make("360724", dt.date(1985, 3, 7), 124)).sex == "女"


def test_known_id_with_x_check_digit():
    # 11010519491231002X is the standard's worked example.
    assert idcard.check_char("11010519491231002") == "X"
    assert idcard.parse("11010519491231002x").number == "11010519491231002X"


def test_wrong_check_digit_is_rejected_with_the_expected_digit():
    number = idcard.make("360724", dt.date(1990, 1, 1), 11)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(idcard.IdNumberError, match=f"应为{number[17]}"):
        idcard.parse(wrong)


@pytest.mark.parametrize(
    "value, reason",
    [
        ("36072419900101", "应为18位"),
        ("3607241990010112AB", "前17位应为数字"),
        ("360724199002301234", "校验位|出生日期"),
    ],
)
def test_malformed_ids_say_why(value, reason):
    with pytest.raises(idcard.IdNumberError, match=reason):
        idcard.parse(value)


def test_impossible_birth_date_with_valid_checksum_is_rejected():
    first17 = "36072419900230" + "123"
    with pytest.raises(idcard.IdNumberError, match="出生日期"):
        idcard.parse(first17 + idcard.check_char(first17))


def test_future_birth_date_is_rejected():
    first17 = "36072421000101" + "123"
    with pytest.raises(idcard.IdNumberError, match="不合理"):
        idcard.parse(first17 + idcard.check_char(first17))


def test_disability_certificate_number_keys_on_the_id_part():
    number = idcard.make("360724", dt.date(1960, 5, 5), 31)
    parsed = idcard.parse(number + "12")
    assert parsed.number == number
    assert parsed.disability_suffix == "12"
    with pytest.raises(idcard.IdNumberError, match="残疾类别"):
        idcard.parse(number + "85")
