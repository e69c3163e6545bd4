from dixian.core.masking import mask_id_number, mask_phone


def test_id_keeps_area_prefix_and_last_four():
    assert mask_id_number("36072419900101123X") == "3607**********123X"


def test_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_empty_values_stay_empty():
    assert mask_id_number("") == "" and mask_phone(None) == ""


def test_birth_date_shows_the_year_only():
    import datetime as dt

    from dixian.core.masking import age_on, mask_birth_date

    assert mask_birth_date(dt.date(1980, 6, 15)) == "1980-**-**"
    assert age_on(dt.date(1980, 6, 15), dt.date(2024, 6, 14)) == 43
    assert age_on(dt.date(1980, 6, 15), dt.date(2024, 6, 15)) == 44
