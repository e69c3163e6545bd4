"""REST operations of the income app: the members of a focus group (重点关注群体).

The list reads through `income.focus.group_list`, the same code path as the HTML list, so
a user gets the group's households within their scope and nothing else. Items carry the
head's name and a masked ID number, never a full one, and no phone."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dixian.core.api import Pagination
from dixian.core.masking import mask_id_number
from dixian.income import focus
from dixian.registry.models import Household
from dixian.registry.selectors import MissingParameter

router = Router(tags=["重点关注群体"])
CENT = Decimal("0.01")


class FocusQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="收入年度（默认取最近年度）")
    township: str | None = Field(
        None, pattern=r"^(\d{9}|\d{12})$", description="乡镇区划代码（12位或9位），按户所在乡镇筛选"
    )
    no_measure: bool = Field(False, description="只返回无增收措施（产业、就业、公益岗位、金融）的户")


def _money(value: Any) -> Decimal | None:
    # SQLite hands joined decimals back unscaled ("10000"); show cents on both databases.
    return None if value is None else Decimal(value).quantize(CENT)


class FocusMemberOut(Schema):
    id: int = Field(description="农户内部编号")
    number: str = Field(description="户编号")
    township_name: str = Field(description="乡镇名称（户所在地）")
    village_name: str = Field(description="村（社区）名称")
    household_type: str = Field(description="户类型")
    monitoring_category: str | None = Field(description="监测对象类别（在监测时）")
    head_name: str | None = Field(description="户主姓名")
    head_id_number_masked: str = Field(description="户主证件号码（脱敏）")
    people: int = Field(description="家庭常住人口（当年收入记录）")
    per_capita_net: Decimal = Field(description="当年人均纯收入（元）")
    previous_per_capita_net: Decimal | None = Field(description="上年人均纯收入（元，F02、F03）")
    before_previous_per_capita_net: Decimal | None = Field(description="前年人均纯收入（元，F03）")
    reason: str = Field(description="入组依据")
    has_increase_measure: bool = Field(description="是否有在落实的增收措施（产业、就业、公益岗位、金融）")


def _item(h: Any, group: focus.FocusGroup, ctx: focus.FocusContext) -> dict[str, Any]:
    area = h.area
    return {
        "id": h.pk,
        "number": h.number,
        "township_name": area.parent.name if area.parent else "",
        "village_name": area.name,
        "household_type": h.household_type,
        "monitoring_category": h.monitoring_category,
        "head_name": h.head_name,
        "head_id_number_masked": mask_id_number(h.head_id_number),
        "people": h.people,
        "per_capita_net": _money(h.income),
        "previous_per_capita_net": _money(getattr(h, "previous", None)),
        "before_previous_per_capita_net": _money(getattr(h, "before_previous", None)),
        "reason": group.describe(h, ctx),
        "has_increase_measure": h.has_increase_measure,
    }


class FocusPage:
    """Adapts the group's queryset for ninja's paginator: count() and slicing hit the
    database; each sliced row is described for the response."""

    def __init__(self, qs: QuerySet[Household], group: focus.FocusGroup, ctx: focus.FocusContext) -> None:
        self.qs, self.group, self.ctx = qs, group, ctx

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_item(h, self.group, self.ctx) for h in self.qs[index]]


@router.get(
    "/income/focus/{code}",
    response=list[FocusMemberOut],
    summary="重点关注群体名单",
    description=(
        "F01-BELOW-10K 人均纯收入低于重点关注线；F02-BOTTOM20-DECLINED 后20%人口中收入下降；"
        "F03-DECLINED-TWO-YEARS 连续两年收入下降。当前用户可见范围内的成员户，按乡镇、村、户编号排序，分页。"
        "未知群体代码返回 404；当年参数未设置返回 409。"
    ),
)
@paginate(Pagination)
def focus_members(request: HttpRequest, code: str, filters: Query[FocusQuery]) -> Any:
    group = focus.GROUPS.get(code)
    if group is None:
        raise Http404
    years = focus.income_years()
    year = filters.year if filters.year is not None else (years[0] if years else None)
    if year is None:
        return []
    ctx = focus.FocusContext(year)
    try:
        qs = focus.group_list(
            request.auth,  # type: ignore[attr-defined]
            code,
            year,
            township=filters.township or "",
            without_measure=filters.no_measure,
            as_of=timezone.localdate(),
            ctx=ctx,
        )
    except MissingParameter as exc:
        raise HttpError(409, str(exc)) from None
    return FocusPage(qs, group, ctx)
