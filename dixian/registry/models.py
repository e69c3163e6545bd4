"""Households, their members, their yearly incomes, cadre pairings and the yearly policy
parameters that every rule reads. Reads go through `dixian.accounts.scope`; writes
through `dixian.registry.services`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Right, Round
from simple_history.models import HistoricalRecords

from dixian.areas.models import Area, ResettlementSite
from dixian.core.db import ExactDivide
from dixian.registry.choices import (
    Dibao,
    DisabilityGrade,
    Education,
    Health,
    HouseholdType,
    IdType,
    LabourSkill,
    Relation,
    Sex,
    Tekun,
)


def money(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=2, default=0)


class Household(models.Model):
    number = models.CharField("户编号", max_length=32, unique=True)
    # Where the household lives: for a relocated household this is the destination (迁入地).
    area = models.ForeignKey(
        Area, verbose_name="所在村（社区）", on_delete=models.PROTECT, related_name="households"
    )
    household_type = models.CharField("户类型", max_length=16, choices=HouseholdType.choices, db_index=True)
    poverty_exit_year = models.PositiveSmallIntegerField("脱贫年度", null=True, blank=True)
    phone = models.CharField("户联系电话", max_length=11, blank=True)
    dangerous_housing = models.BooleanField("是否危房户", default=False)
    safe_water = models.BooleanField("是否解决安全饮用水", default=True)
    is_relocated = models.BooleanField("是否易地扶贫搬迁户", default=False)
    origin_area = models.ForeignKey(
        Area,
        verbose_name="迁出地",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emigrant_households",
    )
    resettlement_site = models.ForeignKey(
        ResettlementSite, verbose_name="安置点", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Optimistic locking: every save of an existing household moves the version on (see
    # save()); an edit from the household page names the version it read and is refused
    # when someone — a user, an import, the admin — saved the household in between.
    version = models.PositiveIntegerField("版本", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "农户"
        verbose_name_plural = "农户"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_relocated=True) | models.Q(origin_area__isnull=True),
                name="household_origin_only_if_relocated",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def destination_area(self) -> Area | None:
        """迁入地: the area a relocated household lives in now."""
        return self.area if self.is_relocated else None


class Person(models.Model):
    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="members"
    )
    id_type = models.CharField("证件类型", max_length=8, choices=IdType.choices, default=IdType.RESIDENT)
    id_number = models.CharField("证件号码", max_length=18, unique=True)
    disability_suffix = models.CharField("残疾人证后两位", max_length=2, blank=True)
    id_last4 = models.GeneratedField(
        expression=Right("id_number", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
        db_index=True,
    )
    name = models.CharField("姓名", max_length=50, db_index=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    relation = models.CharField("与户主关系", max_length=8, choices=Relation.choices)
    ethnicity = models.CharField("民族", max_length=16, default="汉族")
    education = models.CharField("文化程度", max_length=16, choices=Education.choices, blank=True)
    school_stage = models.CharField("在校生状况", max_length=16, blank=True)
    health = models.CharField("健康状况", max_length=8, choices=Health.choices, default=Health.HEALTHY)
    disability_grade = models.CharField("残疾等级", max_length=4, choices=DisabilityGrade.choices, blank=True)
    labour_skill = models.CharField("劳动技能", max_length=16, choices=LabourSkill.choices)
    medical_insurance = models.BooleanField("是否参加城乡居民基本医疗保险", default=True)
    critical_illness_insurance = models.BooleanField("是否参加大病保险", default=True)
    dibao = models.CharField("享受低保政策情况", max_length=8, choices=Dibao.choices, default=Dibao.NONE)
    tekun = models.CharField("享受特困供养政策情况", max_length=8, choices=Tekun.choices, default=Tekun.NONE)
    phone = models.CharField("联系电话", max_length=11, blank=True)
    history = HistoricalRecords(excluded_fields=["id_last4"])

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "id"]
        permissions = [("view_full_pii", "查看完整证件号码和电话")]

    def __str__(self) -> str:
        return self.name


class HouseholdIncome(models.Model):
    """One household's income for one year. The per-capita figure is a generated column:
    it cannot be typed in, only derived from the components."""

    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField("年度")
    wage = money("工资性收入")
    business = money("生产经营性收入")
    property_income = money("财产性收入")
    transfer = money("转移性收入")
    business_expense = money("生产经营性支出")
    compliant_out_of_pocket = money("合规自付支出")
    members = models.PositiveSmallIntegerField("家庭常住人口")
    per_capita_net = models.GeneratedField(
        expression=Round(
            ExactDivide(
                models.F("wage")
                + models.F("business")
                + models.F("property_income")
                + models.F("transfer")
                - models.F("business_expense"),
                models.F("members"),
            ),
            2,
        ),
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
        db_persist=True,
        verbose_name="人均纯收入（元）",
    )
    history = HistoricalRecords(excluded_fields=["per_capita_net"])

    class Meta:
        verbose_name = "家庭收入"
        verbose_name_plural = "家庭收入"
        ordering = ["household_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_one_per_household_year"),
            models.CheckConstraint(condition=models.Q(members__gt=0), name="income_members_positive"),
        ]
        indexes = [models.Index(fields=["year", "household"], name="income_year_household")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"


class Pairing(models.Model):
    """结对帮扶: an assistance cadre paired with a household. A relocated household has a
    cadre on each side (双向帮扶), the destination's leading."""

    class Side(models.TextChoices):
        RESIDENCE = "residence", "居住地"
        DESTINATION = "destination", "迁入地"
        ORIGIN = "origin", "迁出地"

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="帮扶干部", on_delete=models.PROTECT, related_name="pairings"
    )
    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="pairings"
    )
    side = models.CharField("帮扶方", max_length=16, choices=Side.choices, default=Side.RESIDENCE)
    started_on = models.DateField("结对日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "household"],
                condition=models.Q(ended_on__isnull=True),
                name="pairing_one_active_per_cadre_household",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} ↔ {self.household}"


class PolicyParameter(models.Model):
    """A yearly figure that rules read (DOMAIN.md: *parameter*). Known codes and their
    types are in `dixian.registry.parameters.SPECS`; a value holds from its year until a
    later year sets it again."""

    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField("参数代码", max_length=64)
    value = models.CharField("取值", max_length=32)
    source = models.CharField("依据", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度政策参数"
        verbose_name_plural = "年度政策参数"
        ordering = ["code", "-year"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="parameter_one_per_code_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.code}={self.value}"
