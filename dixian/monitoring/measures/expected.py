"""What DOMAIN.md §5 expects a household to hold, without the database: the measures that
answer each risk type, the developmental measures owed to households with labour, and the
sub-type suggestions per measure type. The data-quality checks read the same mapping."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dixian.monitoring.models import DEVELOPMENTAL_MEASURES, MeasureType, RiskType
from dixian.registry.choices import LabourSkill

M = MeasureType

# Risk → the measures that answer it (any one of them will do). Risks DOMAIN.md names no
# measure for (灾害, 意外, 产业失败, 务工不稳, 缺劳动力, 其他) expect nothing specific.
EXPECTED_MEASURES: dict[str, tuple[MeasureType, ...]] = {
    RiskType.ILLNESS: (M.HEALTH, M.SOCIAL),
    RiskType.EDUCATION: (M.EDUCATION, M.COMPULSORY_EDUCATION),
    RiskType.DISABILITY: (M.SOCIAL_SECURITY, M.SOCIAL),
    RiskType.HOUSING: (M.HOUSING, M.RELOCATION),
    RiskType.WATER: (M.WATER,),
}

# 普通/技能劳动力: a monitored household with one of them must get 开发式帮扶.
FULL_LABOUR = (LabourSkill.ORDINARY, LabourSkill.SKILLED)

DEVELOPMENTAL_ORDER = (M.INDUSTRY, M.EMPLOYMENT, M.FINANCE, M.PUBLIC_WELFARE_JOB)
assert frozenset(DEVELOPMENTAL_ORDER) == DEVELOPMENTAL_MEASURES

# 具体措施 suggestions per type (DOMAIN.md §5 and the national system's usual entries);
# the field stays free text.
DETAIL_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    M.INDUSTRY: ("产业到户奖补", "产业发展指导", "光伏收益分配", "消费帮扶"),
    M.EMPLOYMENT: ("劳务输出", "外出务工补贴", "技能培训", "其他"),
    M.FINANCE: ("小额信贷", "产业保险"),
    M.PUBLIC_WELFARE_JOB: ("村保洁员", "护林员", "河道巡查员", "公路养护员"),
    M.HEALTH: ("医疗救助", "大病保险倾斜支付", "家庭医生签约服务", "门诊慢特病待遇"),
    M.EDUCATION: ("雨露计划", "助学金", "生源地助学贷款"),
    M.COMPULSORY_EDUCATION: ("义务教育阶段学生资助", "控辍保学", "送教上门"),
    M.HOUSING: ("农村危房改造", "住房安全鉴定", "租赁安置"),
    M.WATER: ("农村供水工程入户", "水质检测", "供水设施维修"),
    M.SOCIAL_SECURITY: ("低保", "特困供养", "残疾人补贴", "临时救助"),
    M.SOCIAL: ("结对帮扶慰问", "社会捐助", "残疾人康复服务"),
    M.RELOCATION: ("易地扶贫搬迁", "同步搬迁"),
    M.LIVING_CONDITIONS: ("改厨改厕", "庭院整治", "入户道路硬化"),
    M.INFRASTRUCTURE: ("村组道路", "农田水利", "通信网络"),
    M.OTHER: (),
}


def measure_names(types: tuple[MeasureType, ...] | tuple[str, ...]) -> str:
    """健康帮扶或社会帮扶 — how the checks name the measures they miss."""
    return "或".join(str(t) for t in types)


def risk_message(risk_type: str) -> str:
    """Why the risk check fired, in the words of the data-quality catalogue."""
    return f"风险类型为{risk_type}，但无在帮的{measure_names(EXPECTED_MEASURES[risk_type])}措施"


LABOUR_MESSAGE = (
    "监测户有普通或技能劳动力，但无在帮的开发式帮扶措施（"
    + "、".join(str(t) for t in DEVELOPMENTAL_ORDER)
    + "）：有劳动能力的应落实开发式帮扶，不能只靠兜底"
)


@dataclass(frozen=True)
class MeasureCheck:
    code: str  # "labour" or "risk:<风险类型>"
    message: str


LABOUR_CHECK = MeasureCheck("labour", LABOUR_MESSAGE)


def risk_check(risk_type: str) -> MeasureCheck:
    return MeasureCheck(f"risk:{risk_type}", risk_message(risk_type))


def missing_measures(
    *, monitored: bool, labour_skills: Iterable[str], risk_types: Iterable[str], held: Iterable[str]
) -> list[MeasureCheck]:
    """The two checks for one household from what is already loaded: (a) monitored, a
    普通/技能劳动力 member and no developmental measure held; (b) each risk of the monitored
    case with none of its expected measures held. `held`: types of the current measures.
    `selectors.measure_checks` is the same rule as SQL over many households."""
    if not monitored:
        return []
    held_types = set(held)
    found = []
    if set(labour_skills) & set(FULL_LABOUR) and not held_types & DEVELOPMENTAL_MEASURES:
        found.append(LABOUR_CHECK)
    for risk in dict.fromkeys(risk_types):
        expected = EXPECTED_MEASURES.get(risk)
        if expected and not held_types & set(expected):
            found.append(risk_check(risk))
    return found
