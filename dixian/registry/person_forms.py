"""The person list's filter form. Area choices come from the user's scope (as on the
household list), so an area outside it is a form error, never a wider query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from dixian.core.widgets import bootstrap
from dixian.registry.choices import (
    SCHOOL_STAGES,
    DisabilityGrade,
    Health,
    HouseholdType,
    LabourSkill,
    Relation,
    Sex,
)
from dixian.registry.forms import ALL, YES_NO, check_area_pair, set_area_choices
from dixian.registry.person_selectors import IN_SCHOOL, NOT_IN_SCHOOL, PersonFilters


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "姓名 / 户编号 / 证件号后4位", "type": "search"}),
    )
    township = forms.ChoiceField(label="乡镇", required=False)
    village = forms.ChoiceField(label="村（社区）", required=False)
    household_type = forms.ChoiceField(label="户类型", required=False, choices=ALL + HouseholdType.choices)
    sex = forms.ChoiceField(label="性别", required=False, choices=ALL + Sex.choices)
    age_min = forms.IntegerField(label="年龄不小于", required=False, min_value=0, max_value=130)
    age_max = forms.IntegerField(label="年龄不大于", required=False, min_value=0, max_value=130)
    as_of = forms.DateField(
        label="年龄计算日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="默认今天",
    )
    relation = forms.ChoiceField(label="与户主关系", required=False, choices=ALL + Relation.choices)
    health = forms.ChoiceField(label="健康状况", required=False, choices=ALL + Health.choices)
    disability_grade = forms.ChoiceField(
        label="残疾等级", required=False, choices=ALL + [("any", "任一等级")] + DisabilityGrade.choices
    )
    labour_skill = forms.ChoiceField(label="劳动技能", required=False, choices=ALL + LabourSkill.choices)
    school_stage = forms.ChoiceField(
        label="在校生状况",
        required=False,
        choices=ALL
        + [(IN_SCHOOL, "在校生（不含学前）"), (NOT_IN_SCHOOL, "非在校生")]
        + [(s, s) for s in SCHOOL_STAGES],
    )
    insured = forms.ChoiceField(
        label="参加基本医保", required=False, choices=ALL + [("yes", "已参加"), ("no", "未参加")]
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        set_area_choices(self, user)  # the same scoped choices as the household list
        bootstrap(self, small=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        check_area_pair(self)
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", "上限应不小于下限")
        return data

    def to_filters(self) -> PersonFilters:
        """The selector's filters; call only on a valid form."""
        d = self.cleaned_data
        return PersonFilters(
            township=d["township"],
            village=d["village"],
            household_type=d["household_type"],
            sex=d["sex"],
            age_min=d["age_min"],
            age_max=d["age_max"],
            as_of=d["as_of"] or dt.date.today(),
            relation=d["relation"],
            health=d["health"],
            disability_grade=d["disability_grade"],
            labour_skill=d["labour_skill"],
            school_stage=d["school_stage"],
            insured=YES_NO.get(d["insured"]),
            q=d["q"].strip(),
        )
