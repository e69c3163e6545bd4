"""Yearly policy parameters: their codes, types and meaning, and the lookup rules read.

A parameter set for year Y holds for every later year until a later year sets it again
(a monitoring line published for 2024 is the line of 2025 until 2025's is entered). A
year before the first value has no value: rules then refuse to run rather than guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class Kind(StrEnum):
    MONEY = "money"  # yuan
    RATIO = "ratio"  # 0.30 = 30%
    COUNT = "count"  # whole number (days, people)
    MONTH_DAY = "month_day"  # a deadline in the year, "08-09"


@dataclass(frozen=True)
class Spec:
    code: str
    label: str
    kind: Kind
    help: str = ""


SPECS: dict[str, Spec] = {
    s.code: s
    for s in [
        Spec("monitoring_line", "防止返贫监测范围（人均纯收入，元）", Kind.MONEY, "省级每年公布"),
        Spec("focus_income_line", "重点关注收入线（元）", Kind.MONEY, "通知第2条：年人均纯收入低于1万元"),
        Spec("national_rural_income", "全国农村居民人均可支配收入（元）", Kind.MONEY, "国家统计局"),
        Spec("national_rural_growth", "全国农村居民人均可支配收入名义增速", Kind.RATIO, "国家统计局"),
        Spec("county_rural_growth", "全县农村居民人均可支配收入增速", Kind.RATIO, "县统计局"),
        Spec("income_drop_ratio", "收入骤降幅度（R01）", Kind.RATIO, "较上年下降达到此比例即预警"),
        Spec("many_students_min", "受教育子女多人数（R04）", Kind.COUNT),
        Spec("measure_due_days", "纳入后落实帮扶措施期限（天，C01）", Kind.COUNT),
        Spec("identification_days", "识别认定期限（天，C04）", Kind.COUNT, "线索到认定结论不超过15天"),
        Spec("publicity_days", "公示最少天数", Kind.COUNT),
        Spec("elimination_min_months", "风险消除前最少监测月数", Kind.COUNT),
        Spec(
            "open_case_review_days",
            "纳入后逐户分析期限（天，C02）",
            Kind.COUNT,
            "纳入一年以上未消除的逐户分析",
        ),
        Spec("yulu_semester_amount", "雨露计划每学期补助（元）", Kind.MONEY),
        Spec("transport_subsidy_out_province", "就业交通补贴·省外（元/人·年）", Kind.MONEY),
        Spec("transport_subsidy_in_province", "就业交通补贴·省内跨县（元/人·年）", Kind.MONEY),
        Spec("industry_award_cap", "产业到户奖补上限（元/人·年）", Kind.MONEY),
        Spec("industry_share_min", "衔接资金用于产业发展最低占比", Kind.RATIO),
        Spec("payment_progress_september_min", "9月底资金支付进度最低要求", Kind.RATIO),
        Spec("income_ledger_deadline", "收入下降核查整改台账报送截止（月-日）", Kind.MONTH_DAY),
        Spec("microcredit_cap", "小额信贷额度上限（元）", Kind.MONEY),
        Spec("microcredit_term_years", "小额信贷期限上限（年）", Kind.COUNT, "明白纸：贷款期限不超过此年数"),
        Spec("self_report_accept_days", "App自主申报受理期限（天）", Kind.COUNT, "明白纸：乡镇受理期限"),
        Spec("dibao_rural_standard", "农村低保标准（元/人·月）", Kind.MONEY, "明白纸：县民政局每年公布"),
        Spec("labour_age_min", "劳动年龄下限（岁，疑点核查）", Kind.COUNT, "未满此年龄不应为劳动力"),
        Spec("labour_age_max", "劳动年龄上限（岁，疑点核查）", Kind.COUNT, "劳动年龄内健康者应有劳动能力"),
        Spec(
            "elderly_labour_age",
            "高龄劳动力核查年龄（岁）",
            Kind.COUNT,
            "超过此年龄仍为普通/技能劳动力即提示",
        ),
        Spec("wage_month_max", "务工月收入合理上限（元）", Kind.MONEY, "疑点核查：高于此值核实"),
        Spec("wage_month_min", "务工月收入合理下限（元）", Kind.MONEY, "疑点核查：低于此值核实"),
        Spec("visit_interval_days", "结对监测户走访周期（天）", Kind.COUNT, "距上次走访超过此天数即应走访"),
    ]
}


class ParameterError(ValueError):
    pass


def parse_value(code: str, raw: str) -> Decimal | int | tuple[int, int]:
    """Parse a stored value by its spec; raise ParameterError with a readable reason."""
    spec = SPECS.get(code)
    if spec is None:
        raise ParameterError(f"未知参数代码 {code}")
    text = str(raw).strip()
    if spec.kind is Kind.MONTH_DAY:
        try:
            month, day = (int(p) for p in text.split("-"))
            dt.date(2000, month, day)
        except ValueError:
            raise ParameterError(f"{spec.label}: {text!r} 应为 月-日，如 08-09") from None
        return (month, day)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ParameterError(f"{spec.label}: {text!r} 不是数字") from None
    if number < 0:
        raise ParameterError(f"{spec.label}: 不能为负数")
    if spec.kind is Kind.RATIO and number > 1:
        raise ParameterError(f"{spec.label}: 比例应在 0 与 1 之间（如 0.30）")
    if spec.kind is Kind.COUNT:
        if number != number.to_integral_value():
            raise ParameterError(f"{spec.label}: 应为整数")
        return int(number)
    return number
