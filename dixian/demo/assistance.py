"""Assistance measures of the demo county (帮扶措施, DOMAIN.md §5).

A monitored household gets, soon after identification, the measures its risks call for
(因病 → 健康帮扶, 因学 → 教育帮扶/义务教育保障, 因残 → 综合保障 残疾人补贴, 因安全住房 →
住房安全保障, 因安全饮水 → 饮水安全保障 …) and, when it has labour, developmental ones
(产业, 就业, 金融, 公益岗位). 低保, 特困 and the disability allowance follow the members
whatever the household's monitoring; part of the 脱贫户 still hold 产业/就业帮扶.
A few monitored households are deliberately left without any measure (重纳轻帮, rule C01).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dixian.demo.cases import CaseDraft
from dixian.demo.people import DIBAO, GRADE, HEALTH, PERSON_COLUMNS, SKILL, TEKUN
from dixian.demo.work import Work
from dixian.monitoring.models import AssistanceMeasure, MeasureType, RiskType

MEASURE_COLUMNS = (
    "id", "household_id", "case_id", "measure_type", "detail", "year", "started_on", "ended_on", "amount",
    "months", "source",
)  # fmt: skip
DEMO = AssistanceMeasure.Source.DEMO.value
T = {m.name: m.value for m in MeasureType}
R = {r.name: r.value for r in RiskType}
NO_MEASURE_SHARE = 0.04  # monitored households left without measures (C01)
ALLEVIATED_DEVELOPMENT_SHARE = 0.3  # 脱贫户 not monitored still holding 产业/就业帮扶
DISABILITY_ALLOWANCE_SHARE = 0.92  # of households with a 一级/二级 member

_STAGE, _HEALTH, _GRADE, _SKILL, _DIBAO, _TEKUN = (
    PERSON_COLUMNS.index(c)
    for c in ("school_stage", "health", "disability_grade", "labour_skill", "dibao", "tekun")
)
WITH_LABOUR = frozenset({SKILL.ORDINARY, SKILL.SKILLED, SKILL.WEAK})
COMPULSORY = ("小学", "七年级", "八年级", "九年级")
HEALTH_DETAILS = ("医疗救助", "大病保险倾斜支付", "家庭医生签约服务", "门诊慢特病待遇")
INDUSTRY_DETAILS = ("产业到户奖补（脐橙）", "产业到户奖补（生猪）", "产业到户奖补（蔬菜）", "产业到户奖补（茶叶）", "光伏收益分配")  # fmt: skip
PUBLIC_JOBS = ("村保洁员", "护林员", "河道巡查员", "公路养护员")
LOANS = (10_000, 20_000, 30_000, 30_000, 50_000, 50_000)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def household_measures(
    r,
    members: list[tuple],
    take: Callable[[str, int], int],
    *,
    household_id: int,
    draft: CaseDraft | None,
    case_id: int | None,
    alleviated: bool,
    work: Work,
    neglected: bool = False,
) -> list[tuple]:
    """The measure rows (MEASURE_COLUMNS order) of one household; none at all when
    `neglected` (a monitored household nobody has helped yet)."""
    rows: list[tuple] = []
    held: set[str] = set()

    def add(kind: str, detail: str, start: dt.date, *, case: int | None = None, end: dt.date | None = None,
            amount: int | None = None, months: int | None = None) -> None:  # fmt: skip
        held.add(kind)
        rows.append(
            (
                take("measure", 1),
                household_id,
                case,
                kind,
                detail,
                start.year,
                start,
                end,
                amount,
                months,
                DEMO,
            )
        )

    if neglected:
        return []
    skills = [m[_SKILL] for m in members]
    labour = any(s in WITH_LABOUR for s in skills)
    full_labour = any(s in (SKILL.ORDINARY, SKILL.SKILLED) for s in skills)
    # Civil-affairs benefits follow the members, monitored or not.
    since = dt.date(2021 + int(r() * 4), 1 + int(r() * 12), 1)
    if any(m[_DIBAO] != DIBAO.NONE for m in members):
        add(T["SOCIAL_SECURITY"], "低保", since)
    if any(m[_TEKUN] != TEKUN.NONE for m in members):
        add(T["SOCIAL_SECURITY"], "特困供养", since)
    if any(m[_GRADE] in (GRADE.FIRST, GRADE.SECOND) for m in members) and r() < DISABILITY_ALLOWANCE_SHARE:
        add(T["SOCIAL_SECURITY"], "残疾人补贴（困难残疾人生活补贴、重度残疾人护理补贴）", since)
    if draft is None or case_id is None:
        if alleviated and full_labour and r() < ALLEVIATED_DEVELOPMENT_SHARE:
            begun = dt.date(2025, 1 + int(r() * 12), 1)
            if work.working and r() < 0.5:
                add(T["EMPLOYMENT"], "技能培训" if r() < 0.5 else "劳务输出", begun)
            else:
                add(T["INDUSTRY"], INDUSTRY_DETAILS[int(r() * len(INDUSTRY_DETAILS))], begun, amount=500 + 100 * int(r() * 11))  # fmt: skip
        return rows

    # Case-linked measures: from a few days to six weeks after identification.
    def start() -> dt.date:
        return draft.identified_on + dt.timedelta(days=3 + int(r() * 40))

    end = draft.eliminated_on
    case = case_id
    stages = [m[_STAGE] for m in members]
    for risk in draft.risks:
        if risk == R["ILLNESS"]:
            add(T["HEALTH"], HEALTH_DETAILS[int(r() * len(HEALTH_DETAILS))], start(), case=case, end=end)
        elif risk == R["EDUCATION"]:
            if any(s.startswith(COMPULSORY) for s in stages):
                add(
                    T["COMPULSORY_EDUCATION"], "义务教育阶段学生资助", start(), case=case, end=end, amount=500
                )
            if any(s.startswith(("中职", "高职")) for s in stages):
                add(T["EDUCATION"], "雨露计划", start(), case=case, end=end, amount=3000)
            elif (
                any(s.startswith(("普通高中", "本科")) for s in stages)
                or T["COMPULSORY_EDUCATION"] not in held
            ):
                add(T["EDUCATION"], "助学金", start(), case=case, end=end, amount=2000)
        elif risk == R["DISABILITY"]:
            if T["SOCIAL_SECURITY"] in held and r() < 0.7:
                add(T["SOCIAL"], "残疾人康复服务", start(), case=case, end=end)
            else:
                add(T["SOCIAL_SECURITY"], "残疾人补贴（困难残疾人生活补贴）", start(), case=case, end=end)
        elif risk == R["HOUSING"]:
            add(
                T["HOUSING"],
                "农村危房改造",
                start(),
                case=case,
                end=end,
                amount=15_000 + 5_000 * int(r() * 4),
            )
        elif risk == R["WATER"]:
            add(T["WATER"], "农村供水工程入户", start(), case=case, end=end)
        elif risk in (R["DISASTER"], R["ACCIDENT"]):
            add(
                T["SOCIAL_SECURITY"],
                "临时救助",
                start(),
                case=case,
                end=end,
                amount=1000 + 500 * int(r() * 9),
            )
        elif risk == R["INDUSTRY_FAILURE"] and labour:
            add(T["INDUSTRY"], INDUSTRY_DETAILS[int(r() * len(INDUSTRY_DETAILS))], start(), case=case, end=end,
                amount=500 + 100 * int(r() * 11))  # fmt: skip
        elif risk == R["NO_LABOUR"] and T["SOCIAL_SECURITY"] not in held:
            add(
                T["SOCIAL_SECURITY"],
                "临时救助",
                start(),
                case=case,
                end=end,
                amount=1000 + 500 * int(r() * 5),
            )
    if any(m[_HEALTH] == HEALTH.SERIOUS for m in members) and T["HEALTH"] not in held:
        add(T["HEALTH"], HEALTH_DETAILS[int(r() * 2)], start(), case=case, end=end)
    if labour:
        _developmental(r, add, held, start, case=case, end=end, work=work, full_labour=full_labour)
    if not rows:
        add(T["SOCIAL"], "结对帮扶慰问", start(), case=case, end=end)
    return rows


def _developmental(r, add, held: set[str], start, *, case: int, end: dt.date | None, work: Work,
                   full_labour: bool) -> None:  # fmt: skip
    """产业, 就业, 金融, 公益岗位 for a household with labour: one or two of them."""
    if work.subsidy and r() < 0.75:
        add(T["EMPLOYMENT"], "外出务工补贴", start(), case=case, end=end, amount=work.subsidy)
    elif work.working and r() < 0.5:
        add(T["EMPLOYMENT"], "技能培训" if r() < 0.5 else "劳务输出", start(), case=case, end=end)
    if full_labour and r() < 0.45:
        add(T["INDUSTRY"], INDUSTRY_DETAILS[int(r() * len(INDUSTRY_DETAILS))], start(), case=case, end=end,
            amount=500 + 100 * int(r() * 11))  # fmt: skip
    if full_labour and r() < 0.18:
        began = start()
        add(T["FINANCE"], "小额信贷", began, case=case, end=_add_months(began, 36), amount=LOANS[int(r() * len(LOANS))])  # fmt: skip
    developmental = {T["INDUSTRY"], T["EMPLOYMENT"], T["FINANCE"], T["PUBLIC_WELFARE_JOB"]}
    if not held & developmental or (not full_labour and r() < 0.3):
        months = 6 + int(r() * 7)
        began = start()
        add(T["PUBLIC_WELFARE_JOB"], PUBLIC_JOBS[int(r() * len(PUBLIC_JOBS))], began, case=case,
            end=end or _add_months(began, months), amount=600 * months, months=months)  # fmt: skip
