"""The administrative tree and the organisations that work in it."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from dixian.areas.codes import Level, prefix


class Area(models.Model):
    """A node of the tree: province → city → county → township → village.

    The primary key is the 12-digit code itself, so a household's area column holds the
    code and area scope is a prefix match on an indexed column, with no join.
    """

    class LevelChoices(models.TextChoices):
        PROVINCE = Level.PROVINCE.value, "省"
        CITY = Level.CITY.value, "市"
        COUNTY = Level.COUNTY.value, "县"
        TOWNSHIP = Level.TOWNSHIP.value, "乡镇"
        VILLAGE = Level.VILLAGE.value, "村（社区）"

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=LevelChoices.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return prefix(self.code)

    @property
    def full_name(self) -> str:
        names = []
        node: Area | None = self
        while node is not None and node.level in (Level.TOWNSHIP, Level.VILLAGE):
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class OrgUnit(models.Model):
    """An organisation whose staff use the system; its area bounds what they may see."""

    class Kind(models.TextChoices):
        COUNTY_BUREAU = "county_bureau", "县农业农村局（乡村振兴）"
        COUNTY_DEPARTMENT = "county_department", "县直部门"
        TOWNSHIP_GOVERNMENT = "township_government", "乡（镇）人民政府/管委会"
        VILLAGE_COMMITTEE = "village_committee", "村（居）委会"
        ASSISTANCE_UNIT = "assistance_unit", "帮扶单位"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=32, choices=Kind.choices)
    area = models.ForeignKey(
        Area, verbose_name="所在区划", on_delete=models.PROTECT, related_name="org_units"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["area_id", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="orgunit_unique_name_in_area")]

    def __str__(self) -> str:
        return self.name


class ResettlementSite(models.Model):
    """易地搬迁安置点: where relocated households were resettled."""

    class Kind(models.TextChoices):
        CENTRALISED = "centralised", "集中安置"
        DISPERSED = "dispersed", "分散安置"

    name = models.CharField("安置点名称", max_length=100)
    kind = models.CharField("安置方式", max_length=16, choices=Kind.choices)
    area = models.ForeignKey(
        Area, verbose_name="所在村（社区）", on_delete=models.PROTECT, related_name="sites"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "安置点"
        verbose_name_plural = "安置点"
        ordering = ["area_id", "name"]

    def __str__(self) -> str:
        return self.name
