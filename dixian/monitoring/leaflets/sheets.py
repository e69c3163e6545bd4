"""The catalogue of 明白纸 (policy explanation sheets, notice §1 四): which sheets exist,
their titles and the yearly parameters each one prints. Plain data, no database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sheet:
    slug: str
    title: str  # printed after "<county><year>年"
    summary: str  # one line on the list page
    template: str
    codes: tuple[str, ...]  # parameters the sheet prints, in the order it prints them


SHEETS: dict[str, Sheet] = {
    s.slug: s
    for s in [
        Sheet(
            "monitoring-application",
            "防止返贫监测对象申报明白纸",
            "谁可以申报、怎么申报、办理流程和时限、需要签署的授权书",
            "monitoring/leaflets/sheets/monitoring_application.html",
            (
                "monitoring_line",
                "self_report_accept_days",
                "identification_days",
                "publicity_days",
                "elimination_min_months",
            ),
        ),
        Sheet(
            "assistance-policies",
            "帮扶政策明白纸",
            "雨露计划、就业交通补贴、产业到户奖补、小额信贷、低保、风险消除条件",
            "monitoring/leaflets/sheets/assistance_policies.html",
            (
                "monitoring_line",
                "yulu_semester_amount",
                "transport_subsidy_out_province",
                "transport_subsidy_in_province",
                "industry_award_cap",
                "microcredit_cap",
                "microcredit_term_years",
                "dibao_rural_standard",
                "elimination_min_months",
            ),
        ),
        Sheet(
            "risk-elimination",
            "防止返贫监测对象风险消除明白纸",
            "风险消除的条件、程序和方式，消除后的政策",
            "monitoring/leaflets/sheets/risk_elimination.html",
            ("monitoring_line", "elimination_min_months", "publicity_days"),
        ),
    ]
}


def codes_of(sheets: list[Sheet]) -> list[str]:
    """The parameter codes the given sheets print, each once, in first-use order."""
    return list(dict.fromkeys(code for sheet in sheets for code in sheet.codes))
