"""REST operations of monitoring: screening warnings (预警线索) and their counts per rule.

Both read through `screening_selectors`, which start from the scoping layer, so a user
gets the warnings of the households they may see and nothing else. Warnings carry no
personal data (no names, ID numbers or phones)."""

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from dixian.core.api import Pagination
from dixian.monitoring import screening_selectors as selectors
from dixian.monitoring.models import ScreeningWarning
from dixian.monitoring.rules import RULE_LABELS

router = Router(tags=["预警线索"])


def township_code(value: str | None) -> str | None:
    if value and not (value.isdigit() and len(value) in (9, 12)):
        raise ValueError("乡镇区划代码应为 9 或 12 位数字")
    return value or None


StatusFilter = Literal["pending", "converted", "dismissed", "expired", "all"]


class WarningQuery(Schema):
    rule: str | None = Field(None, description="规则代码", json_schema_extra={"enum": list(RULE_LABELS)})
    township: str | None = Field(None, description="乡镇区划代码（12位或9位）")
    status: StatusFilter = Field("pending", description="状态；all = 全部")

    @field_validator("rule")
    @classmethod
    def _rule(cls, value: str | None) -> str | None:
        if value and value not in RULE_LABELS:
            raise ValueError(f"未知规则 {value}")
        return value or None

    @field_validator("township")
    @classmethod
    def _township(cls, value: str | None) -> str | None:
        return township_code(value)


class WarningOut(Schema):
    id: int
    household_id: int
    household_number: str = Field(alias="household.number", description="户编号")
    village_code: str = Field(alias="household.area_id", description="村（社区）区划代码")
    village_name: str = Field(alias="household.area.name")
    township_name: str = Field(alias="household.area.parent.name")
    rule: str = Field(description="规则代码")
    rule_label: str
    year: int = Field(description="收入年度")
    as_of: dt.date = Field(description="筛查基准日")
    evidence: str = Field(description="预警依据")
    status: str
    status_label: str
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_rule_label(obj: ScreeningWarning) -> str:
        return RULE_LABELS.get(obj.rule, "")

    @staticmethod
    def resolve_status_label(obj: ScreeningWarning) -> str:
        return obj.get_status_display()


class RuleCount(Schema):
    rule: str
    label: str
    count: int = Field(description="待核实预警户数")


class SummaryQuery(Schema):
    township: str | None = Field(None, description="乡镇区划代码（12位或9位）")

    @field_validator("township")
    @classmethod
    def _township(cls, value: str | None) -> str | None:
        return township_code(value)


@router.get("/warnings/summary", response=list[RuleCount], summary="各规则待核实预警数")
def warning_summary(request: HttpRequest, query: Query[SummaryQuery]) -> list[dict[str, Any]]:
    counts = selectors.rule_counts(request.auth, township=query.township or "")  # type: ignore[attr-defined]
    return [{"rule": code, "label": RULE_LABELS[code], "count": n} for code, n in counts.items()]


@router.get("/warnings", response=list[WarningOut], summary="预警线索列表")
@paginate(Pagination)
def warning_list(request: HttpRequest, query: Query[WarningQuery]) -> QuerySet[ScreeningWarning]:
    qs = selectors.warning_list(
        request.auth,  # type: ignore[attr-defined]  # the signed-in user, by token or session
        rule=query.rule or "",
        township=query.township or "",
        status="" if query.status == "all" else query.status,
    )
    return qs
