"""Person checks: school stage, education, labour, disability and member records."""

import pytest

from dixian.dataquality.tests.helpers import assert_split, born, household, person
from dixian.registry.choices import PRESCHOOL
from dixian.testing import factories as f

pytestmark = pytest.mark.django_db
HEALTHY_NO_LABOUR = {"labour_skill": "无劳动力"}


def test_preschool_at_seven_is_flagged():
    inside = person(age=born(7), school_stage=PRESCHOOL, **HEALTHY_NO_LABOUR)
    outside = person(age=born(7, 1), school_stage=PRESCHOOL, **HEALTHY_NO_LABOUR)
    assert_split("DQ-EDU-01", [inside], [outside])


@pytest.mark.parametrize(
    "code, stage, low, high",
    [
        ("DQ-EDU-02", "小学三年级", 5, 15),
        ("DQ-EDU-03", "八年级", 12, 17),
        ("DQ-EDU-04", "普通高中二年级", 14, 20),
    ],
)
def test_school_stage_outside_its_ages_is_flagged(code, stage, low, high):
    def p(age):
        return person(age=age, school_stage=stage, **HEALTHY_NO_LABOUR)

    inside = [p(born(low, 1)), p(born(high + 1))]
    outside = [p(born(low)), p(born(high + 1, 1))]
    assert_split(code, inside, outside)


def test_bachelor_under_twenty_is_flagged():
    assert_split(
        "DQ-EDU-05",
        [person(age=born(20, 1), education="本科及以上")],
        [person(age=born(20), education="本科及以上")],
    )


def test_preschool_education_over_seven_is_flagged():
    assert_split(
        "DQ-EDU-06",
        [person(age=born(8), education="学龄前儿童")],
        [person(age=born(8, 1), education="学龄前儿童")],
    )


def test_student_marked_as_labour_is_flagged():
    inside = person(age=born(10), school_stage="小学四年级", labour_skill="普通劳动力")
    outside = person(age=born(10), school_stage="小学四年级", labour_skill="无劳动力")
    assert_split("DQ-EDU-07", [inside], [outside])


def test_compulsory_age_child_not_in_school_is_flagged():
    inside = [person(age=born(7), **HEALTHY_NO_LABOUR), person(age=born(16, 1), **HEALTHY_NO_LABOUR)]
    outside = [person(age=born(7, 1), **HEALTHY_NO_LABOUR), person(age=born(16), **HEALTHY_NO_LABOUR)]
    assert_split("DQ-EDU-08", inside, outside)


def test_healthy_working_age_adult_without_labour_is_flagged():
    def p(age, **kw):
        return person(age=age, labour_skill="弱劳动力或半劳动力", **kw)

    inside = [p(born(16)), p(born(60, 1))]
    outside = [
        p(born(16, 1)),
        p(born(60)),
        p(born(30), school_stage="本科二年级"),
        p(born(30), health="长期慢性病"),
    ]
    assert_split("DQ-LAB-01", inside, outside)


def test_child_marked_as_labour_is_flagged():
    assert_split("DQ-LAB-02", [person(age=born(16, 1))], [person(age=born(16))])


def test_over_sixty_five_marked_as_labour_is_flagged():
    assert_split("DQ-LAB-03", [person(age=born(66), labour_skill="技能劳动力")], [person(age=born(66, 1))])


def test_disabled_without_grade_is_flagged():
    inside = person(health="残疾", labour_skill="无劳动力")
    outside = person(health="残疾", disability_grade="三级", labour_skill="无劳动力")
    assert_split("DQ-LAB-04", [inside], [outside])


def test_grade_without_disability_is_flagged():
    inside = person(disability_grade="三级")
    outside = person(health="残疾", disability_grade="三级")
    assert_split("DQ-LAB-05", [inside], [outside])


def test_severe_disability_marked_as_labour_is_flagged():
    inside = person(health="残疾", disability_grade="二级")
    outside = person(health="残疾", disability_grade="三级")
    assert_split("DQ-LAB-06", [inside], [outside])


def test_head_under_sixteen_is_flagged():
    inside = person(age=born(16, 1), **HEALTHY_NO_LABOUR)
    outside = person(age=born(16), **HEALTHY_NO_LABOUR)
    assert_split("DQ-REG-01", [inside], [outside])


def test_household_without_head_is_flagged():
    inside = household()
    person(inside, relation="配偶")
    assert_split("DQ-REG-02", [inside], [person().household])


def test_household_with_two_heads_is_flagged():
    inside = person().household
    person(inside)
    outside = person().household
    person(outside, relation="配偶")
    assert_split("DQ-REG-03", [inside], [outside])


def test_member_over_a_hundred_is_flagged():
    kw = {"labour_skill": "无劳动力"}
    assert_split("DQ-REG-04", [person(age=born(101), **kw)], [person(age=born(101, 1), **kw)])


def test_uninsured_members_are_flagged():
    assert_split("DQ-REG-05", [person(medical_insurance=False)], [person()])
    assert_split("DQ-REG-06", [person(critical_illness_insurance=False)], [person()])


def test_exit_year_must_match_household_type():
    assert_split("DQ-REG-07", [household(poverty_exit_year=None)], [household()])
    assert_split(
        "DQ-REG-08",
        [household(household_type="一般农户")],
        [household(household_type="一般农户", poverty_exit_year=None)],
    )


def test_household_phone_must_be_a_mobile():
    assert_split(
        "DQ-REG-09", [household(phone="1381234567"), household(phone="")], [household(phone="13812345678")]
    )


def test_relocation_origin_is_checked():
    other = household().area
    assert_split(
        "DQ-REG-10", [household(is_relocated=True)], [household(is_relocated=True, origin_area=other)]
    )
    elsewhere = f.village("360724101201")
    same = household(is_relocated=True, origin_area=other)
    assert_split("DQ-REG-11", [same], [household(is_relocated=True, origin_area=elsewhere)])


def test_dibao_and_tekun_together_is_flagged():
    assert_split("DQ-REG-12", [person(dibao="农村低保", tekun="农村特困")], [person(dibao="农村低保")])


def test_member_phone_must_be_a_mobile():
    assert_split("DQ-REG-13", [person(phone="0797123")], [person(phone="13912345678"), person(phone="")])


def test_disability_card_without_disability_is_flagged():
    inside = person(id_type="残疾人证")
    outside = person(id_type="残疾人证", health="残疾", disability_grade="三级")
    assert_split("DQ-REG-14", [inside], [outside])
