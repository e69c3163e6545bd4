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
    responsible = models.ForeignKey(
        "accounts.User",
        verbose_name="帮扶责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_measures",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "帮扶措施"
        verbose_name_plural = "帮扶措施"
        ordering = ["household_id", "measure_type"]
        indexes = [models.Index(fields=["household", "measure_type"], name="measure_household_type")]

    def __str__(self) -> str:
        return f"{self.measure_type} {self.detail}".strip()


# ---------------------------------------------------------------- identification and elimination workflow
# Each step of DOMAIN.md §4 leaves one row; the case (or its elimination) carries the
# status. A step row with `elimination` set belongs to the risk-elimination procedure,
# otherwise to identification. The rules live in dixian.monitoring.workflow.


class ReliefDecision(models.TextChoices):
    DIBAO = "dibao", "纳入低保"
    TEKUN = "tekun", "纳入特困"
    NONE = "none", "不纳入低保、特困"


class EliminationCase(models.Model):
    """One attempt to eliminate an approved case's risk (风险消除), mirror of identification."""

    class Status(models.TextChoices):
        CLUE = "clue", "待入户核实"
        VISITED = "visited", "已入户核实"
        ASSESSED = "assessed", "已评议"
        PUBLICISED = "publicised", "公示中"
        TOWNSHIP_REVIEWED = "township_reviewed", "乡镇已审核"
        APPROVED = "approved", "已审定消除"

    case = models.ForeignKey(
        MonitoringCase, verbose_name="监测对象", on_delete=models.CASCADE, related_name="eliminations"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.CLUE)
    opened_on = models.DateField("启动日期")
    method = models.CharField("风险消除方式", max_length=8, choices=EliminationMethod.choices, blank=True)
    version = models.PositiveIntegerField("版本", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "风险消除"
        verbose_name_plural = "风险消除"
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"


class _StepRecord(models.Model):
    case = models.ForeignKey(MonitoringCase, verbose_name="监测对象", on_delete=models.CASCADE)
    elimination = models.ForeignKey(
        EliminationCase, verbose_name="风险消除", null=True, blank=True, on_delete=models.CASCADE
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="经办人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        abstract = True


class HouseholdVisit(_StepRecord):
    """入户核实: the visit, the check sheet's findings and the signed 承诺授权书."""

    visited_on = models.DateField("核实日期")
    cadre_name = models.CharField("核实干部", max_length=50)
    findings = models.TextField("核实情况")
    authorisation_signed = models.BooleanField("已签署承诺授权书", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "入户核实"
        verbose_name_plural = "入户核实"
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"入户核实 {self.visited_on}"


class JointAssessment(_StepRecord):
    """村级评议. For identification: one economic verification report and two independent
    decisions, monitoring inclusion and civil-affairs relief. For elimination: the method
    and a snapshot of the conditions as they stood."""

    sat_on = models.DateField("评议日期")
    report_number = models.CharField("经济状况核对报告编号", max_length=50, blank=True)
    report_date = models.DateField("核对报告日期", null=True, blank=True)
    include = models.BooleanField("纳入监测", null=True, blank=True)
    category = models.CharField("监测对象类别", max_length=16, choices=Category.choices, blank=True)
    risk_types = models.JSONField("致贫/返贫风险", default=list, blank=True)
    exclusion_reason = models.CharField("不纳入理由", max_length=300, blank=True)
    relief = models.CharField("民政救助研判", max_length=8, choices=ReliefDecision.choices, blank=True)
    relief_reason = models.CharField("民政救助研判理由", max_length=300, blank=True)
    method = models.CharField("风险消除方式", max_length=8, choices=EliminationMethod.choices, blank=True)
    conditions = models.JSONField("消除条件核对", default=list, blank=True)
    note = models.CharField("评议意见", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "村级评议"
        verbose_name_plural = "村级评议"
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"村级评议 {self.sat_on}"


class Publicity(_StepRecord):
    """公示: the period the assessment result is posted in the village."""

    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示结束")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="publicity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"公示 {self.starts_on}—{self.ends_on}"


class Review(_StepRecord):
    """乡镇审核 or 县级审定: approve, or return to the village with a reason."""

    class Level(models.TextChoices):
        TOWNSHIP = "township", "乡镇审核"
        COUNTY = "county", "县级审定"

    class Decision(models.TextChoices):
        APPROVE = "approve", "同意"
        RETURN = "return", "退回"

    level = models.CharField("层级", max_length=8, choices=Level.choices)
    decision = models.CharField("意见", max_length=8, choices=Decision.choices)
    reason = models.CharField("理由", max_length=300, blank=True)
    decided_on = models.DateField("审核日期")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "审核审定"
        verbose_name_plural = "审核审定"
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_decision_display()}"


class CaseAnalysis(models.Model):
    """逐户分析 (notice §1): why a case open over a year still has its risk, and what next."""

    class Decision(models.TextChoices):
        ELIMINATE = "eliminate", "符合条件，启动风险消除"
        ADJUST = "adjust", "调整帮扶措施"
        STRENGTHEN = "strengthen", "加大帮扶力度"

    case = models.ForeignKey(
        MonitoringCase, verbose_name="监测对象", on_delete=models.CASCADE, related_name="analyses"
    )
    analysed_on = models.DateField("分析日期")
    persistence_cause = models.TextField("风险未消除原因")
    decision = models.CharField("处理意见", max_length=12, choices=Decision.choices)
    follow_up_on = models.DateField("跟进日期")
    analyst = models.ForeignKey(
        "accounts.User", verbose_name="分析人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "逐户分析"
        verbose_name_plural = "逐户分析"
        ordering = ["-analysed_on", "-pk"]

    def __str__(self) -> str:
        return f"逐户分析 {self.analysed_on}"


# ---------------------------------------------------------------- screening (issue 4)


class EventKind(models.TextChoices):
    """突发灾害/意外: the 自然灾害 sub-types of DOMAIN.md §4, and 意外事故."""

    FLOOD = "洪涝", "洪涝"
    GEOLOGICAL = "地质", "地质"
    DROUGHT = "旱灾", "旱灾"
    BIOLOGICAL = "生物", "生物"
    METEOROLOGICAL = "气象", "气象"
    EARTHQUAKE = "地震", "地震"
    OTHER_NATURAL = "其他自然灾害", "其他自然灾害"
    ACCIDENT = "意外事故", "意外事故"


class HouseholdEvent(models.Model):
    """A disaster or accident that struck a household (read by rule R03)."""

    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="events"
    )
    date = models.DateField("发生日期")
    kind = models.CharField("类型", max_length=16, choices=EventKind.choices)
    loss = models.DecimalField("损失（元）", max_digits=12, decimal_places=2, default=0)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "突发灾害/意外事件"
        verbose_name_plural = "突发灾害/意外事件"
        ordering = ["household_id", "-date"]
        indexes = [models.Index(fields=["household", "date"], name="event_household_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class ScreeningWarning(models.Model):
    """预警线索: one household flagged by one screening rule, with the values that made it
    fire. At most one pending warning per household and rule; the screening run keeps it
    current and expires it when the evidence no longer holds. People close it by turning
    it into a clue (converted) or by verifying it does not warrant inclusion (dismissed)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核实"
        CONVERTED = "converted", "已转线索"
        DISMISSED = "dismissed", "已核实不纳入"
        EXPIRED = "expired", "已失效"

    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="screening_warnings"
    )
    rule = models.CharField("预警规则", max_length=40)
    year = models.PositiveSmallIntegerField("收入年度")
    as_of = models.DateField("筛查基准日")
    evidence = models.CharField("预警依据", max_length=300)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("预警时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "预警线索"
        verbose_name_plural = "预警线索"
        ordering = ["rule", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "rule"],
                condition=models.Q(status="pending"),
                name="warning_one_pending_per_household_rule",
            )
        ]
        indexes = [models.Index(fields=["rule", "status", "household"], name="warning_rule_status")]

    def __str__(self) -> str:
        return f"{self.rule} {self.household_id}"
