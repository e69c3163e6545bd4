"""Employment monitoring (务工监测, notice §4) as the national system keeps it: one
current record per person, history kept by django-simple-history."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from dixian.registry.models import Person


class EmploymentRecord(models.Model):
    """（务工月监测）已外出务工信息: a person's current work."""

    person = models.OneToOneField(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="employment"
    )
    is_working = models.BooleanField("是否已务工", default=True)
    province = models.CharField("务工所在省", max_length=32, blank=True)
    county = models.CharField("务工所在县", max_length=64, blank=True)
    started_on = models.DateField("开始时间", null=True, blank=True)
    ended_on = models.DateField("结束时间", null=True, blank=True)
    monthly_income = models.DecimalField("务工月收入", max_digits=10, decimal_places=2, null=True, blank=True)
    employer = models.CharField("务工企业名称", max_length=200, blank=True)
    industry = models.CharField("所属行业", max_length=64, blank=True)
    channel = models.CharField("就业渠道", max_length=32, blank=True)
    point_to_point = models.BooleanField("是否点对点输送", default=False)
    transport_subsidy = models.DecimalField(
        "年度交通费补助", max_digits=10, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "务工信息"
        verbose_name_plural = "务工信息"

    def __str__(self) -> str:
        return f"{self.person} {self.county or self.province}"


class WorkPlan(models.Model):
    """计划外出务工信息: whether a person plans to work away and what help they need."""

    person = models.OneToOneField(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="work_plan"
    )
    plans_to_work = models.BooleanField("是否计划务工", default=False)
    service_needs = models.CharField("就业服务需求", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "计划务工信息"
        verbose_name_plural = "计划务工信息"

    def __str__(self) -> str:
        return f"{self.person} {'计划务工' if self.plans_to_work else ''}"
