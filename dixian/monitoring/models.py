"""Monitoring objects (防止返贫监测对象, DOMAIN.md §4).

This issue holds the state the national system exports (category, identification month,
risks, elimination); the identification and elimination workflows extend these models.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from dixian.registry.models import Household


class Category(models.TextChoices):
    UNSTABLE = "脱贫不稳定户", "脱贫不稳定户"
    MARGINAL = "边缘易致贫户", "边缘易致贫户"
    SUDDEN_HARDSHIP = "突发严重困难户", "突发严重困难户"


class RiskType(models.TextChoices):
    ILLNESS = "因病", "因病"
    DISABILITY = "因残", "因残"
    EDUCATION = "因学", "因学"
    DISASTER = "因自然灾害", "因自然灾害"
    ACCIDENT = "因意外事故", "因意外事故"
    INDUSTRY_FAILURE = "因产业项目失败", "因产业项目失败"
    UNSTABLE_WORK = "因务工就业不稳", "因务工就业不稳"
    NO_LABOUR = "缺劳动力", "缺劳动力"
    HOUSING = "因安全住房", "因安全住房"
    WATER = "因安全饮水", "因安全饮水"
    OTHER = "其他", "其他"


class EliminationMethod(models.TextChoices):
    ASSISTED = "帮扶消除", "帮扶消除"
    NATURAL = "自然消除", "自然消除"


class ClueSource(models.TextChoices):
    """发现渠道 (DOMAIN.md §4), plus the two ways a case arrives without a person reporting it."""

    SELF_REPORT = "农户自主申报", "农户自主申报"
    CADRE_SCREENING = "基层干部排查", "基层干部排查"
    DEPARTMENT_WARNING = "部门筛查预警", "部门筛查预警"
    SCREENING_WARNING = "预警线索", "系统预警线索"
    NATIONAL_IMPORT = "国家系统导入", "国家系统导入"


class MonitoringCase(models.Model):
    """One household's path from a clue to a decision, and, once approved, its monitoring.

    "Monitored" means status APPROVED and not eliminated. A clue has no category yet and no
    identification date; `identified_on` is the day the county approved (for imported
    cases, the first day of 识别监测时间). `version` guards concurrent steps: a step
    updates the row only if the version it read is still current.
    """

    class Status(models.TextChoices):
        CLUE = "clue", "线索待核实"
        VISITED = "visited", "已入户核实"
        ASSESSED = "assessed", "已评议"
        PUBLICISED = "publicised", "公示中"
        TOWNSHIP_REVIEWED = "township_reviewed", "乡镇已审核"
        APPROVED = "approved", "已审定纳入"
        NOT_INCLUDED = "not_included", "不予纳入"

    OPEN_STATUSES = (
        Status.CLUE,
        Status.VISITED,
        Status.ASSESSED,
        Status.PUBLICISED,
        Status.TOWNSHIP_REVIEWED,
    )

    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="monitoring_cases"
    )
    category = models.CharField("监测对象类别", max_length=16, choices=Category.choices, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.APPROVED, db_index=True
    )
    source = models.CharField(
        "发现渠道", max_length=16, choices=ClueSource.choices, default=ClueSource.NATIONAL_IMPORT
    )
    opened_on = models.DateField("线索日期", null=True, blank=True)
    identified_on = models.DateField("识别监测时间", null=True, blank=True)
    eliminated = models.BooleanField("风险是否已消除", default=False)
    elimination_method = models.CharField(
        "风险消除方式", max_length=8, choices=EliminationMethod.choices, blank=True
    )
    eliminated_on = models.DateField("消除监测时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "监测对象"
        verbose_name_plural = "监测对象"
        ordering = ["-identified_on"]
        indexes = [models.Index(fields=["household", "eliminated"], name="case_household_open")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.category or self.get_status_display()}"


class CaseRisk(models.Model):
    """One of up to five 致贫/返贫风险 of a case, in the national system's column order."""

    case = models.ForeignKey(
        MonitoringCase, verbose_name="监测对象", on_delete=models.CASCADE, related_name="risks"
    )
    position = models.PositiveSmallIntegerField("序号")
    risk_type = models.CharField("风险类型", max_length=16, choices=RiskType.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "致贫/返贫风险"
        verbose_name_plural = "致贫/返贫风险"
        ordering = ["case_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="risk_unique_position"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=5), name="risk_position_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.risk_type


class MeasureType(models.TextChoices):
    """帮扶措施 types, as the national system's columns (DOMAIN.md §5)."""

    INDUSTRY = "产业帮扶", "产业帮扶"
    EMPLOYMENT = "就业帮扶", "就业帮扶"
    FINANCE = "金融帮扶", "金融帮扶"
    PUBLIC_WELFARE_JOB = "公益岗位帮扶", "公益岗位帮扶"
    HEALTH = "健康帮扶", "健康帮扶"
    EDUCATION = "教育帮扶", "教育帮扶"
    COMPULSORY_EDUCATION = "义务教育保障", "义务教育保障"
    HOUSING = "住房安全保障", "住房安全保障"
    WATER = "饮水安全保障", "饮水安全保障"
    SOCIAL_SECURITY = "综合保障", "综合保障"
    SOCIAL = "社会帮扶", "社会帮扶"
    RELOCATION = "搬迁", "搬迁"
    LIVING_CONDITIONS = "生产生活条件改善", "生产生活条件改善"
    INFRASTRUCTURE = "基础设施建设", "基础设施建设"
    OTHER = "其他", "其他"


# 开发式帮扶: what households with labour must get (DOMAIN.md §5); also the income-increase
# measures of notice section 2.
DEVELOPMENTAL_MEASURES = frozenset(
    {MeasureType.INDUSTRY, MeasureType.EMPLOYMENT, MeasureType.FINANCE, MeasureType.PUBLIC_WELFARE_JOB}
)


class AssistanceMeasure(models.Model):
    """A 帮扶措施 a household holds. `detail` carries the sub-type or the national
    column's text (e.g. 外出务工补贴, 小额信贷, 低保, 残疾人补贴)."""

    class Source(models.TextChoices):
        MANUAL = "manual", "手工录入"
        IMPORT = "import", "国家系统导入"
        DEMO = "demo", "演示数据"

    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="measures"
    )
    case = models.ForeignKey(
        MonitoringCase,
        verbose_name="监测对象",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
    )
    measure_type = models.CharField("措施类型", max_length=16, choices=MeasureType.choices, db_index=True)
    detail = models.CharField("具体措施", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    started_on = models.DateField("开始日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    months = models.PositiveSmallIntegerField("月数", null=True, blank=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.MANUAL)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "帮扶措施"
        verbose_name_plural = "帮扶措施"
        ordering = ["household_id", "measure_type"]
        indexes = [models.Index(fields=["household", "measure_type"], name="measure_household_type")]

    def __str__(self) -> str:
        return f"{self.measure_type} {self.detail}".strip()
