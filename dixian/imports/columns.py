"""The national system's Excel files (DOMAIN.md §3): their kinds, column names as the
system writes them, which columns a file must have, and where each column goes.

Column names are canonical as DOMAIN.md writes them (full-width brackets in
``人均纯收入（元）``, half-width in ``县(市、区、旗)``); `normalise_header` maps the variants
found in real exports onto them. Imports and exports both build on these lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from dixian.monitoring.models import MeasureType


class Kind(StrEnum):
    HOUSEHOLD = "household"
    MONITORING = "monitoring"
    EMPLOYMENT = "employment"
    WORK_PLAN = "work_plan"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[Kind, str] = {
    Kind.HOUSEHOLD: "户信息",
    Kind.MONITORING: "监测对象信息",
    Kind.EMPLOYMENT: "（务工月监测）已外出务工信息",
    Kind.WORK_PLAN: "计划外出务工信息",
}
KIND_CHOICES = [(k.value, k.label) for k in Kind]


class ValueType(StrEnum):
    TEXT = "text"
    CHOICE = "choice"  # one of a code list (see validation.CODE_LISTS)
    YES_NO = "yes_no"  # 是/否
    DATE = "date"
    MONTH = "month"  # YYYYMM → first day of the month
    DECIMAL = "decimal"
    YEAR = "year"
    INT = "int"
    ID_NUMBER = "id_number"
    PHONE = "phone"


@dataclass(frozen=True)
class Column:
    """One national column. `target` is ``model.field`` where the value is stored
    (``""`` when the column is only checked, e.g. 人均纯收入（元）, or resolved, e.g. areas)."""

    name: str
    target: str = ""
    type: ValueType = ValueType.TEXT
    required: bool = False  # the column must be in the header and the cell non-empty


COUNTY = "县(市、区、旗)"
TOWNSHIP = "乡(镇)"
VILLAGE = "行政村"
HOUSEHOLD_NUMBER = "户编号"
NAME = "姓名"
ID_TYPE = "证件类型"
ID_NUMBER = "证件号码"
RELATION = "与户主关系"
SEX = "性别"
BIRTH_DATE = "出生日期"
MEMBER_COUNT = "家庭人口数"
PER_CAPITA = "人均纯收入（元）"
CATEGORY = "监测对象类别"
IDENTIFIED = "识别监测时间"
ELIMINATED = "风险是否已消除"
ELIMINATION_METHOD = "风险消除方式"
ELIMINATED_ON = "消除监测时间"
RISK_COLUMNS = [f"致贫/返贫风险{i}" for i in range(1, 6)]
MEASURE_COLUMNS = [m.value for m in MeasureType]

T = ValueType
HOUSEHOLD_COLUMNS: list[Column] = [
    Column(COUNTY),
    Column(TOWNSHIP, required=True),
    Column(VILLAGE, required=True),
    Column(HOUSEHOLD_NUMBER, "household.number", required=True),
    Column(NAME, "person.name", required=True),
    Column(ID_TYPE, "person.id_type", T.CHOICE),
    Column(ID_NUMBER, "person.id_number", T.ID_NUMBER, required=True),
    Column(RELATION, "person.relation", T.CHOICE, required=True),
    Column(SEX, "person.sex", T.CHOICE),
    Column(BIRTH_DATE, "person.birth_date", T.DATE),
    Column("民族", "person.ethnicity"),
    Column("文化程度", "person.education", T.CHOICE),
    Column("在校生状况", "person.school_stage", T.CHOICE),
    Column("健康状况", "person.health", T.CHOICE),
    Column("残疾等级", "person.disability_grade", T.CHOICE),
    Column("劳动技能", "person.labour_skill", T.CHOICE, required=True),
    Column("户类型", "household.household_type", T.CHOICE, required=True),
    Column("脱贫年度", "household.poverty_exit_year", T.YEAR),
    Column("是否参加城乡居民基本医疗保险", "person.medical_insurance", T.YES_NO),
    Column("是否参加大病保险", "person.critical_illness_insurance", T.YES_NO),
    Column("享受低保政策情况", "person.dibao", T.CHOICE),
    Column("享受特困供养政策情况", "person.tekun", T.CHOICE),
    Column("是否易地扶贫搬迁户", "household.is_relocated", T.YES_NO),
    Column("是否危房户", "household.dangerous_housing", T.YES_NO),
    Column("是否解决安全饮用水", "household.safe_water", T.YES_NO),
    Column("户联系电话", "household.phone", T.PHONE),
    Column(MEMBER_COUNT, "", T.INT),
]

MONITORING_COLUMNS: list[Column] = [
    *HOUSEHOLD_COLUMNS,
    Column(CATEGORY, "case.category", T.CHOICE),
    Column(IDENTIFIED, "case.identified_on", T.MONTH),
    Column(ELIMINATED, "case.eliminated", T.YES_NO),
    Column(ELIMINATION_METHOD, "case.elimination_method", T.CHOICE),
    Column(ELIMINATED_ON, "case.eliminated_on", T.MONTH),
    *[Column(name, "risk.risk_type", T.CHOICE) for name in RISK_COLUMNS],
    Column(PER_CAPITA, "", T.DECIMAL),
    Column("工资性收入", "income.wage", T.DECIMAL),
    Column("生产经营性收入", "income.business", T.DECIMAL),
    Column("财产性收入", "income.property_income", T.DECIMAL),
    Column("转移性收入", "income.transfer", T.DECIMAL),
    Column("生产经营性支出", "income.business_expense", T.DECIMAL),
    Column("合规自付支出", "income.compliant_out_of_pocket", T.DECIMAL),
    # One column per measure type: a non-empty cell means the household holds the
    # measure, and its text goes to AssistanceMeasure.detail.
    *[Column(name, "measure.detail") for name in MEASURE_COLUMNS],
]

EMPLOYMENT_COLUMNS: list[Column] = [
    Column(ID_NUMBER, "person.id_number", T.ID_NUMBER, required=True),
    Column("是否已务工", "employment.is_working", T.YES_NO, required=True),
    Column("务工所在省", "employment.province"),
    Column("务工所在县", "employment.county"),
    Column("开始时间", "employment.started_on", T.DATE),
    Column("结束时间", "employment.ended_on", T.DATE),
    Column("务工月收入", "employment.monthly_income", T.DECIMAL),
    Column("务工企业名称", "employment.employer"),
    Column("所属行业", "employment.industry"),
    Column("就业渠道", "employment.channel"),
    Column("是否点对点输送", "employment.point_to_point", T.YES_NO),
    Column("年度交通费补助", "employment.transport_subsidy", T.DECIMAL),
]

WORK_PLAN_COLUMNS: list[Column] = [
    Column(ID_NUMBER, "person.id_number", T.ID_NUMBER, required=True),
    Column("是否计划务工", "work_plan.plans_to_work", T.YES_NO, required=True),
    Column("就业服务需求", "work_plan.service_needs"),
]

COLUMNS: dict[Kind, list[Column]] = {
    Kind.HOUSEHOLD: HOUSEHOLD_COLUMNS,
    Kind.MONITORING: MONITORING_COLUMNS,
    Kind.EMPLOYMENT: EMPLOYMENT_COLUMNS,
    Kind.WORK_PLAN: WORK_PLAN_COLUMNS,
}


def column_names(kind: Kind) -> list[str]:
    """The national column order of a file kind (what an export writes)."""
    return [c.name for c in COLUMNS[kind]]


def required_columns(kind: Kind) -> list[str]:
    return [c.name for c in COLUMNS[kind] if c.required]


def columns_by_name(kind: Kind) -> dict[str, Column]:
    return {c.name: c for c in COLUMNS[kind]}


# Alternative names found in real exports, keyed as `_key` leaves them.
ALIASES: dict[str, str] = {
    "县": COUNTY,
    "县(市、区)": COUNTY,
    "县(市,区,旗)": COUNTY,
    "乡": TOWNSHIP,
    "乡镇": TOWNSHIP,
    "乡(镇、街道)": TOWNSHIP,
    "村": VILLAGE,
    "行政村(社区)": VILLAGE,
    "人均纯收入": PER_CAPITA,
    "人均纯收入(元)": PER_CAPITA,
    "身份证号码": ID_NUMBER,
    "证件号码(身份证号码)": ID_NUMBER,
}

_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "，": ",", "／": "/", "\u3000": " "})


def _key(text: str) -> str:
    return _SPACE.sub("", str(text or "").translate(_BRACKETS))


_CANONICAL: dict[str, str] = {_key(c.name): c.name for columns in COLUMNS.values() for c in columns} | {
    _key(alias): name for alias, name in ALIASES.items()
}


def normalise_header(text: str) -> str:
    """The canonical column name for a header cell: brackets made half-width for the
    comparison, spaces and line breaks dropped, alternative area names mapped.
    Unknown text comes back stripped of spaces, unchanged otherwise."""
    key = _key(text)
    return _CANONICAL.get(key, key)


def is_known_column(name: str) -> bool:
    return normalise_header(name) in _CANONICAL.values()


# Columns that only one kind carries: detection looks for these first.
_DISTINCTIVE: list[tuple[Kind, set[str]]] = [
    (Kind.EMPLOYMENT, {"是否已务工"}),
    (Kind.WORK_PLAN, {"是否计划务工"}),
    (Kind.MONITORING, {CATEGORY, PER_CAPITA, *RISK_COLUMNS, IDENTIFIED}),
    (Kind.HOUSEHOLD, {HOUSEHOLD_NUMBER, RELATION}),
]


def detect_kind(header: Iterable[str]) -> Kind | None:
    """The file kind a header row belongs to, or None when it matches none."""
    names = {normalise_header(h) for h in header if h}
    for kind, marks in _DISTINCTIVE:
        if names & marks:
            return kind
    return None
