"""Income records of notice §2. The income-decline verification ledger (低收入人口收入下降核查整改台账):
one ledger per township and year pair (Y−1 → Y), one row per household whose income fell.

Writes go through `dixian.income.ledger.services`, reads through `.selectors` (scoped).
`version` guards concurrent edits: a write updates the row only if the version it read is
still current.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dixian.areas.models import Area
from dixian.monitoring.models import AssistanceMeasure
from dixian.registry.models import Household


class IncomeLedger(models.Model):
    """A township's ledger for the income year `year` (compared with `year` − 1)."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", "编制中"
        SUBMITTED = "submitted", "已报送"

    township = models.ForeignKey(
        Area, verbose_name="乡镇", on_delete=models.PROTECT, related_name="income_ledgers"
    )
    year = models.PositiveSmallIntegerField("收入年度")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFTING)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_reason = models.CharField("退回理由", max_length=300, blank=True)
    reopened_at = models.DateTimeField("退回时间", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="退回人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "收入下降核查整改台账"
        verbose_name_plural = "收入下降核查整改台账"
        ordering = ["-year", "township_id"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="income_ledger_one_per_township_year")
        ]

    def __str__(self) -> str:
        return f"{self.township_id} {self.year - 1}→{self.year}"

    @property
    def previous_year(self) -> int:
        return self.year - 1


class DeclineCause(models.TextChoices):
    WORK = "务工减少", "务工减少"
    INDUSTRY = "产业减收", "产业减收"
    ILLNESS = "因病", "因病"
    DISASTER = "因灾", "因灾"
    HOUSEHOLD_CHANGE = "家庭人口变化", "家庭人口变化"
    POLICY = "政策性收入减少", "政策性收入减少"
    DATA_ERROR = "数据录入错误", "数据录入错误"
    OTHER = "其他", "其他"


class IncomeLedgerRow(models.Model):
    """One household whose per-capita net income of Y fell below Y−1. `previous_income`
    and `income` are the figures recorded when the row was generated; a data correction
    changes the income record, never these."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核查"
        VERIFIED = "verified", "已核查"
        RECTIFIED = "rectified", "已整改"

    ledger = models.ForeignKey(
        IncomeLedger, verbose_name="台账", on_delete=models.CASCADE, related_name="rows"
    )
    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="income_ledger_rows"
    )
    previous_income = models.DecimalField("上年人均纯收入（元）", max_digits=12, decimal_places=2)
    income = models.DecimalField("当年人均纯收入（元）", max_digits=12, decimal_places=2)
    verified_income = models.DecimalField(
        "核实后人均纯收入（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    cause = models.CharField("下降原因", max_length=16, choices=DeclineCause.choices, blank=True)
    data_error = models.BooleanField("是否数据错误", default=False)
    correction = models.CharField("更正情况", max_length=500, blank=True)
    measures = models.ManyToManyField(
        AssistanceMeasure, verbose_name="增收措施", blank=True, related_name="income_ledger_rows"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=0)
    history = HistoricalRecords(m2m_fields=[measures])

    class Meta:
        verbose_name = "收入下降核查整改台账行"
        verbose_name_plural = "收入下降核查整改台账行"
        ordering = ["ledger_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "household"], name="income_ledger_row_one_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ledger_id} {self.household_id}"
