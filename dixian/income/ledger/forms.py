"""Forms of the ledger pages: parse and validate input; the rules are in `services`."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from dixian.core.widgets import bootstrap
from dixian.income.ledger import selectors
from dixian.income.ledger.services import Correction
from dixian.income.models import DeclineCause, IncomeLedgerRow
from dixian.registry.models import HouseholdIncome
from dixian.registry.services import INCOME_FIGURES

MONEY_FIGURES = [name for name in INCOME_FIGURES if name != "members"]


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=12, decimal_places=2)


class RowForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="核查状态", choices=IncomeLedgerRow.Status.choices)
    cause = forms.ChoiceField(
        label="下降原因", required=False, choices=[("", "—请选择—"), *DeclineCause.choices]
    )
    verified_income = _money("核实后当年人均纯收入（元）")
    data_error = forms.BooleanField(label="收入数据录入有误，需要更正", required=False)
    correction_year = forms.TypedChoiceField(label="更正年度", coerce=int, required=False)
    members = forms.IntegerField(label=INCOME_FIGURES["members"], required=False, min_value=1)
    wage = _money(INCOME_FIGURES["wage"])
    business = _money(INCOME_FIGURES["business"])
    property_income = _money(INCOME_FIGURES["property_income"])
    transfer = _money(INCOME_FIGURES["transfer"])
    business_expense = _money(INCOME_FIGURES["business_expense"])
    compliant_out_of_pocket = _money(INCOME_FIGURES["compliant_out_of_pocket"])
    correction_reason = forms.CharField(label="更正说明", required=False, max_length=200)
    measures = forms.ModelMultipleChoiceField(
        label="增收措施（该户已有的帮扶措施）",
        queryset=IncomeLedgerRow.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = forms.ModelChoiceField(
        label="责任人", queryset=IncomeLedgerRow.objects.none(), required=False
    )
    note = forms.CharField(
        label="备注", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    CORRECTION_FIELDS = ("members", *MONEY_FIGURES)

    def __init__(self, *args: Any, row: IncomeLedgerRow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row = row
        year = row.ledger.year
        cast(forms.TypedChoiceField, self.fields["correction_year"]).choices = [
            (year, f"{year}年（当年）"),
            (year - 1, f"{year - 1}年（上年）"),
        ]
        cast(forms.ModelMultipleChoiceField, self.fields["measures"]).queryset = selectors.household_measures(
            row
        )
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = selectors.responsible_candidates(
            row.ledger
        )
        bootstrap(self)
        if not self.is_bound:
            self.initial.update(self._initial(row))

    @staticmethod
    def _initial(row: IncomeLedgerRow) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": row.version,
            "status": row.status,
            "cause": row.cause,
            "verified_income": row.verified_income if row.verified_income is not None else row.income,
            "data_error": row.data_error,
            "correction_year": row.ledger.year,
            "measures": list(row.measures.values_list("pk", flat=True)),
            "responsible": row.responsible_id,
            "note": row.note,
        }
        income: HouseholdIncome | None = selectors.recorded_income(row, row.ledger.year)
        if income is not None:
            initial.update({name: getattr(income, name) for name in RowForm.CORRECTION_FIELDS})
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("data_error"):
            for name in (*self.CORRECTION_FIELDS, "correction_year", "correction_reason"):
                if data.get(name) in (None, ""):
                    self.add_error(name, "数据更正须填写此项")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        correction = None
        if data["data_error"]:
            figures = {name: data[name] for name in self.CORRECTION_FIELDS}
            correction = Correction(
                year=data["correction_year"], reason=data["correction_reason"], figures=figures
            )
        return {
            "version": data["version"],
            "status": data["status"],
            "cause": data["cause"],
            "verified_income": data["verified_income"],
            "data_error": data["data_error"],
            "correction": correction,
            "measure_ids": [m.pk for m in data["measures"]],
            "responsible_id": data["responsible"].pk if data["responsible"] else None,
            "note": data["note"],
        }


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="退回理由",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
