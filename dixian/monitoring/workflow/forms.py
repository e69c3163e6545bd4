"""Forms of the workflow steps. Each carries the case version it was shown with, so that
a stale form is refused (the case moved on). Dates may lie in the past: steps done on
paper are entered afterwards (补录)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from dixian.core.widgets import bootstrap
from dixian.monitoring.models import (
    CaseAnalysis,
    Category,
    ClueSource,
    EliminationMethod,
    ReliefDecision,
    RiskType,
)
from dixian.monitoring.workflow.services import CLUE_SOURCES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ClueForm(forms.Form):
    source = forms.ChoiceField(
        label="线索来源", choices=[(s.value, ClueSource(s).label) for s in CLUE_SOURCES]
    )
    opened_on = forms.DateField(label="线索日期", widget=DATE, initial=dt.date.today)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VisitForm(StepForm):
    visited_on = forms.DateField(label="核实日期", widget=DATE, initial=dt.date.today)
    cadre_name = forms.CharField(label="核实干部", max_length=50)
    findings = forms.CharField(label="核实情况", widget=forms.Textarea(attrs={"rows": 3}))
    authorisation_signed = forms.BooleanField(label="已签署承诺授权书", required=False)


class AssessmentForm(StepForm):
    sat_on = forms.DateField(label="评议日期", widget=DATE, initial=dt.date.today)
    report_number = forms.CharField(label="经济状况核对报告编号", max_length=50)
    report_date = forms.DateField(label="核对报告日期", widget=DATE)
    include = forms.TypedChoiceField(
        label="（一）是否纳入监测",
        choices=[("1", "纳入监测"), ("0", "不纳入监测")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label="监测对象类别", choices=[("", "—")] + Category.choices, required=False)
    risk_types = forms.MultipleChoiceField(
        label="致贫/返贫风险（1–5 项）",
        choices=RiskType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exclusion_reason = forms.CharField(label="不纳入理由", max_length=300, required=False)
    relief = forms.ChoiceField(
        label="（二）民政救助研判（与是否纳入监测相互独立）",
        choices=ReliefDecision.choices,
        widget=forms.RadioSelect,
    )
    relief_reason = forms.CharField(label="民政救助研判理由", max_length=300)


class EliminationAssessmentForm(StepForm):
    sat_on = forms.DateField(label="评议日期", widget=DATE, initial=dt.date.today)
    method = forms.ChoiceField(
        label="风险消除方式", choices=EliminationMethod.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="评议意见", max_length=300, required=False)


class PublicityForm(StepForm):
    starts_on = forms.DateField(label="公示开始", widget=DATE)
    ends_on = forms.DateField(label="公示结束", widget=DATE)


class ReviewForm(StepForm):
    approve = forms.TypedChoiceField(
        label="意见",
        choices=[("1", "同意"), ("0", "退回村级重新评议")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    reason = forms.CharField(label="理由（退回必填）", max_length=300, required=False)


class AnalysisForm(forms.Form):
    persistence_cause = forms.CharField(label="风险未消除原因", widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label="处理意见", choices=CaseAnalysis.Decision.choices)
    follow_up_on = forms.DateField(label="跟进日期", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
