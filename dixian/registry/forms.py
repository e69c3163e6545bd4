"""Forms of the registry pages. Choices that name areas come from the user's scope, so a
value outside it is an invalid choice (a form error), never a wider query."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from dixian.accounts import scope
from dixian.areas.codes import Level, township_code
from dixian.core.widgets import bootstrap
from dixian.monitoring.models import Category
from dixian.registry.choices import HouseholdType
from dixian.registry.parameters import SPECS
from dixian.registry.selectors import ORDERINGS, HouseholdFilters

ALL = [("", "全部")]
YES_NO = {"yes": True, "no": False}


def set_area_choices(form: forms.Form, user: Any) -> None:
    """The `township` and `village` choices of a filter form: the areas of the user's
    scope, villages grouped by township."""
    areas = scope.areas_visible_to(user).filter(level__in=[Level.TOWNSHIP, Level.VILLAGE]).order_by("code")
    townships = [a for a in areas if a.level == Level.TOWNSHIP]
    names = {a.code: a.name for a in townships}
    villages: dict[str, list[tuple[str, str]]] = {}
    for area in areas:
        if area.level == Level.VILLAGE:
            villages.setdefault(names.get(township_code(area.code), "其他"), []).append(
                (area.code, area.name)
            )
    cast(forms.ChoiceField, form.fields["township"]).choices = ALL + [(a.code, a.name) for a in townships]
    cast(forms.ChoiceField, form.fields["village"]).choices = ALL + list(villages.items())


def check_area_pair(form: forms.Form) -> None:
    """A form error when the chosen village is not in the chosen township."""
    township, village = form.cleaned_data.get("township"), form.cleaned_data.get("village")
    if township and village and not village.startswith(township[:9]):
        form.add_error("village", "所选村（社区）不在所选乡镇内")


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "姓名 / 户编号 / 证件号后4位", "type": "search"}),
    )
    township = forms.ChoiceField(label="乡镇", required=False)
    village = forms.ChoiceField(label="村（社区）", required=False)
    household_type = forms.ChoiceField(label="户类型", required=False, choices=ALL + HouseholdType.choices)
    monitoring_category = forms.ChoiceField(
        label="监测对象类别",
        required=False,
        choices=ALL + [("any", "任意监测对象"), ("none", "非监测对象")] + Category.choices,
    )
    relocated = forms.ChoiceField(
        label="易地搬迁户", required=False, choices=ALL + [("yes", "是"), ("no", "否")]
    )
    income_year = forms.IntegerField(label="收入年度", required=False, min_value=2000, max_value=2100)
    income_min = forms.DecimalField(
        label="人均纯收入不低于", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    income_max = forms.DecimalField(
        label="人均纯收入低于", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    order = forms.ChoiceField(
        required=False, choices=[(k, k) for k in ORDERINGS], widget=forms.HiddenInput, label="排序"
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        set_area_choices(self, user)
        bootstrap(self, small=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        check_area_pair(self)
        low, high = data.get("income_min"), data.get("income_max")
        if low is not None and high is not None and low >= high:
            self.add_error("income_max", "上限应大于下限")
        return data

    def to_filters(self) -> HouseholdFilters:
        """The selector's filters; call only on a valid form."""
        d = self.cleaned_data
        return HouseholdFilters(
            township=d["township"],
            village=d["village"],
            household_type=d["household_type"],
            monitoring_category=d["monitoring_category"],
            income_year=d["income_year"],
            income_min=d["income_min"],
            income_max=d["income_max"],
            q=d["q"].strip(),
            relocated=YES_NO.get(d["relocated"]),
            order=d["order"] or "number",
        )


class ParameterForm(forms.Form):
    code = forms.ChoiceField(label="参数", choices=[(code, spec.label) for code, spec in SPECS.items()])
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value = forms.CharField(
        label="取值", max_length=32, help_text="金额填元，比例填小数（如 0.30），日期填 月-日"
    )
    source = forms.CharField(label="依据", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)


PHONE_RE = r"^1\d{10}$"


class HouseholdEditForm(forms.Form):
    """What a cadre corrects after a visit: the phone, and whether the housing is safe and
    the water solved (rules C03 and the data-quality checks read both). `version` is the
    household's version when the form was shown (optimistic locking)."""

    phone = forms.RegexField(
        label="新的户联系电话",
        regex=PHONE_RE,
        required=False,
        help_text="留空则不修改（页面不显示完整号码）",
        error_messages={"invalid": "请填写11位手机号码"},
    )
    dangerous_housing = forms.TypedChoiceField(
        label="是否危房户", choices=[("0", "否"), ("1", "是")], coerce=lambda v: v == "1"
    )
    safe_water = forms.TypedChoiceField(
        label="是否解决安全饮用水", choices=[("1", "是"), ("0", "否")], coerce=lambda v: v == "1"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)

    @classmethod
    def for_household(cls, household: Any) -> HouseholdEditForm:
        return cls(
            initial={
                "dangerous_housing": "1" if household.dangerous_housing else "0",
                "safe_water": "1" if household.safe_water else "0",
                "version": household.version,
            }
        )
