"""Conditions of risk elimination (DOMAIN.md §4), without the database.

The selector gathers the facts; `evaluate` says which conditions are met. A household
with no labour at all (整户无劳动能力) is never eliminated: it stays under 兜底保障.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from dixian.monitoring.workflow.machine import WorkflowError

NO_LABOUR_REFUSAL = "整户无劳动能力，不进行风险消除，继续落实兜底保障"


@dataclass(frozen=True)
class Facts:
    income_year: int | None
    per_capita_net: Decimal | None
    monitoring_line: Decimal | None  # the line of income_year
    identified_on: dt.date | None
    min_months: int | None  # elimination_min_months; None when the year has no value
    measure_count: int
    members_with_labour: int
    member_count: int
    dangerous_housing: bool
    safe_water: bool
    today: dt.date


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    met: bool
    detail: str


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def evaluate(f: Facts) -> list[Condition]:
    if f.per_capita_net is None or f.monitoring_line is None:
        income = Condition("income", "收入稳定且高于监测范围", False, "无收入数据或当年监测范围未设置")
    else:
        income = Condition(
            "income",
            "收入稳定且高于监测范围",
            f.per_capita_net >= f.monitoring_line,
            f"{f.income_year}年人均纯收入 {f.per_capita_net:,.2f} 元，监测范围 {f.monitoring_line:,.2f} 元",
        )
    if f.min_months is None:  # refuse rather than guess a period
        months = Condition(
            "months",
            "监测满规定月数",
            False,
            "未设置参数「风险消除前最少监测月数」（elimination_min_months）",
        )
    elif f.identified_on is None:
        months = Condition("months", f"监测满{f.min_months}个月", False, "无识别监测时间")
    else:
        due = add_months(f.identified_on, f.min_months)
        months = Condition(
            "months",
            f"监测满{f.min_months}个月",
            due <= f.today,
            f"{f.identified_on:%Y-%m-%d} 纳入，{due:%Y-%m-%d} 满期",
        )
    return [
        income,
        months,
        Condition("measure", "至少落实一项帮扶措施", f.measure_count >= 1, f"帮扶措施 {f.measure_count} 项"),
        Condition(
            "labour",
            "有劳动能力（非整户无劳动能力）",
            f.members_with_labour >= 1,
            f"{f.member_count} 人中有劳动能力 {f.members_with_labour} 人",
        ),
        Condition(
            "housing",
            "住房安全有保障",
            not f.dangerous_housing,
            "危房户" if f.dangerous_housing else "非危房",
        ),
        Condition("water", "饮水安全有保障", f.safe_water, "已解决" if f.safe_water else "未解决安全饮用水"),
    ]


def check_eligible(conditions: list[Condition]) -> None:
    """Refuse elimination unless every condition is met; no labour at all is refused with
    its own reason (兜底保障)."""
    by_code = {c.code: c for c in conditions}
    if not by_code["labour"].met:
        raise WorkflowError(NO_LABOUR_REFUSAL)
    unmet = [c for c in conditions if not c.met]
    if unmet:
        raise WorkflowError("不符合风险消除条件：" + "；".join(f"{c.label}（{c.detail}）" for c in unmet))


def snapshot(conditions: list[Condition]) -> list[dict[str, object]]:
    return [asdict(c) for c in conditions]


def evaluate_ok_for_start(conditions: list[Condition]) -> bool:
    """Elimination may start while other conditions are still being met, but never for a
    household with no labour at all."""
    return next(c for c in conditions if c.code == "labour").met
