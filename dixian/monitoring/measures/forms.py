"""Forms of the measures part. Suggestions for 具体措施 come from a <datalist> that follows
the chosen type (htmx); the field stays free text. Choices of 帮扶责任人 and 监测对象 are
limited to the household's (the service checks again)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dixian.core.widgets import bootstrap
from dixian.monitoring.measures import selectors
from dixian.monitoring.models import EventKind, MeasureType, MonitoringCase
from dixian.registry.models import Household

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResponsibleField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        paired = "（本户结对干部）" if getattr(obj, "is_paired", False) else ""
        return f"{obj}{paired} · {obj.org_unit or '未分配单位'}"


class CaseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        case: MonitoringCase = obj
        when = f"，{case.identified_on:%Y年%m月}识别" if case.identified_on else ""
        return f"{case.category or '识别中'}（{case.get_status_display()}{when}）"


class MeasureForm(forms.Form):
    measure_type = forms.ChoiceField(label="措施类型", choices=[("", "请选择")] + MeasureType.choices)
    detail = forms.CharField(
        label="具体措施（子类）",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "detail-options", "autocomplete": "off"}),
    )
    started_on = forms.DateField(label="开始日期", widget=DATE)
    amount = forms.DecimalField(
        label="金额（元）", max_digits=12, decimal_places=2, required=False, min_value=0
    )
    months = forms.IntegerField(label="月数（公益岗位）", required=False, min_value=1, max_value=120)
    responsible = ResponsibleField(
        label="帮扶责任人", queryset=None, required=False, empty_label="（未指定）"
    )
    case = CaseField(label="关联监测对象", queryset=None, required=False, empty_label="（不关联）")

    def __init__(self, *args: Any, household: Household, measure: Any = None, **kwargs: Any) -> None:
        """`measure`: the one being edited, whose current 责任人 and case stay choosable
        even if they would not be offered for a new measure (an eliminated case)."""
        super().__init__(*args, **kwargs)
        self.household = household
        people = selectors.responsible_candidates(household)
        cases = selectors.linkable_cases(household)
        if measure is not None and measure.case_id is not None:
            cases = cases.model.objects.filter(Q(pk__in=cases.values("pk")) | Q(pk=measure.case_id))
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = people
        cast(forms.ModelChoiceField, self.fields["case"]).queryset = cases
        self.fields["started_on"].initial = timezone.localdate
        bootstrap(self)
        self.fields["measure_type"].widget.attrs.update(
            {
                "hx-get": reverse("measure_detail_options"),
                "hx-target": "#detail-options",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )

    def chosen_type(self) -> str:
        value = self.data.get("measure_type") if self.is_bound else self.initial.get("measure_type")
        return str(value or "")


class EndForm(forms.Form):
    ended_on = forms.DateField(label="结束日期", widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class EventForm(forms.Form):
    date = forms.DateField(label="发生日期", widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label="类型", choices=[("", "请选择")] + EventKind.choices)
    loss = forms.DecimalField(label="损失（元）", max_digits=12, decimal_places=2, initial=0)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


def measure_initial(measure: Any) -> dict[str, Any]:
    return {
        "measure_type": measure.measure_type,
        "detail": measure.detail,
        "started_on": measure.started_on,
        "amount": measure.amount,
        "months": measure.months,
        "responsible": measure.responsible_id,
        "case": measure.case_id,
    }
