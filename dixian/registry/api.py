"""REST operations of the registry: the household list and a household's detail.

The list goes through `registry.selectors.household_list`, the same code path as the
HTML list, so filters can only narrow the user's scope; the detail goes through
`accounts.scope.get_household_for_user` (404 outside scope). ID numbers and phones leave
only masked (`dixian.core.masking`), and no field lets a masked ID be rebuilt (members
carry an age, not a birth date).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models import prefetch_related_objects as prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ValidationInfo, field_validator, model_validator

from dixian.accounts.scope import get_household_for_user
from dixian.areas.codes import AreaCodeError, Level, level_of, normalise
from dixian.core.api import MAX_PAGE, Pagination
from dixian.core.masking import mask_id_number, mask_phone
from dixian.monitoring.models import Category, MonitoringCase
from dixian.registry.choices import HouseholdType
from dixian.registry.models import Household, HouseholdIncome, Pairing, Person
from dixian.registry.selectors import ORDERINGS, HouseholdFilters, household_list

router = Router(tags=["农户"])

CATEGORY_VALUES = [*Category.values, "any", "none"]
CENT = Decimal("0.01")

# ---------------------------------------------------------------- list: query


class HouseholdQuery(Schema):
    """Filters of the household list; an empty value means "no filter", as in the HTML form."""

    township: str | None = Field(None, description="乡镇区划代码（12位或9位）")
    village: str | None = Field(None, description="村（社区）区划代码（12位）")
    household_type: HouseholdType | None = Field(None, description="户类型")
    monitoring_category: str | None = Field(
        None,
        description="监测对象类别；any = 任一类别的在监测户，none = 非监测户",
        json_schema_extra={"enum": list(CATEGORY_VALUES)},
    )
    income_year: int | None = Field(None, ge=2000, le=2100, description="收入年度（默认取最近年度）")
    income_min: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description="人均纯收入下限（含，元）"
    )
    income_max: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description="人均纯收入上限（不含，元）"
    )
    q: str | None = Field(None, max_length=50, description="户主或成员姓名、户编号，或证件号码后4位")
    relocated: bool | None = Field(None, description="是否易地扶贫搬迁户")
    order: str = Field(
        "number", description="排序（前缀 - 为倒序）", json_schema_extra={"enum": list(ORDERINGS)}
    )

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and not value.strip():
            return "number" if info.field_name == "order" else None
        return value

    @field_validator("township")
    @classmethod
    def _township(cls, value: str | None) -> str | None:
        return _area_code(value, Level.TOWNSHIP, "乡镇")

    @field_validator("village")
    @classmethod
    def _village(cls, value: str | None) -> str | None:
        return _area_code(value, Level.VILLAGE, "村（社区）")

    @field_validator("monitoring_category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value is not None and value not in CATEGORY_VALUES:
            raise ValueError(f"监测对象类别应为 {'、'.join(CATEGORY_VALUES)} 之一")
        return value

    @field_validator("order")
    @classmethod
    def _order(cls, value: str) -> str:
        if value not in ORDERINGS:
            raise ValueError(f"排序应为 {'、'.join(ORDERINGS)} 之一")
        return value

    @field_validator("q")
    @classmethod
    def _q(cls, value: str | None) -> str | None:
        return value.strip() if value else None

    @model_validator(mode="after")
    def _consistent(self) -> "HouseholdQuery":
        # The same checks as the HTML filter form (registry.forms.HouseholdFilterForm).
        if self.township and self.village and not self.village.startswith(self.township[:9]):
            raise ValueError("所选村（社区）不在所选乡镇内")
        if self.income_min is not None and self.income_max is not None and self.income_min >= self.income_max:
            raise ValueError("人均纯收入上限应大于下限")
        return self

    def to_filters(self) -> HouseholdFilters:
        return HouseholdFilters(
            township=self.township or "",
            village=self.village or "",
            household_type=self.household_type or "",
            monitoring_category=self.monitoring_category or "",
            income_year=self.income_year,
            income_min=self.income_min,
            income_max=self.income_max,
            q=self.q or "",
            relocated=self.relocated,
            order=self.order,
        )


def _area_code(value: str | None, level: Level, label: str) -> str | None:
    if value is None:
        return None
    try:
        code = normalise(value)
    except AreaCodeError as exc:
        raise ValueError(str(exc)) from None
    if level_of(code) is not level:
        raise ValueError(f"{value} 不是{label}级区划代码")
    return code


# ---------------------------------------------------------------- list: items


def _township_and_village(area: Any) -> tuple[str, str]:
    if area.level == Level.VILLAGE:
        return (area.parent.name if area.parent_id else ""), area.name
    return area.name, ""


class HouseholdBase(Schema):
    id: int = Field(description="农户内部编号")
    number: str = Field(description="户编号")
    area_code: str = Field(description="所在村（社区）区划代码（搬迁户为迁入地）")
    township_name: str = Field(description="乡镇名称")
    village_name: str = Field(description="村（社区）名称")
    household_type: str = Field(description="户类型")
    poverty_exit_year: int | None = Field(description="脱贫年度")
    is_relocated: bool = Field(description="是否易地扶贫搬迁户")
    origin_area_code: str | None = Field(description="迁出地区划代码（搬迁户）")
    phone_masked: str = Field(description="户联系电话（脱敏）")

    @staticmethod
    def resolve_area_code(obj: Household) -> str:
        return obj.area_id

    @staticmethod
    def resolve_township_name(obj: Household) -> str:
        return _township_and_village(obj.area)[0]

    @staticmethod
    def resolve_village_name(obj: Household) -> str:
        return _township_and_village(obj.area)[1]

    @staticmethod
    def resolve_origin_area_code(obj: Household) -> str | None:
        return obj.origin_area_id

    @staticmethod
    def resolve_phone_masked(obj: Household) -> str:
        return mask_phone(obj.phone)


class HouseholdItem(HouseholdBase):
    head_name: str | None = Field(description="户主姓名")
    member_count: int = Field(description="家庭成员数")
    per_capita_net: Decimal | None = Field(description="人均纯收入（元）：所选收入年度，未选时为最近年度")
    income_year: int | None = Field(description="人均纯收入所属年度")
    monitoring_category: str | None = Field(description="监测对象类别（在监测时）")

    @staticmethod
    def resolve_member_count(obj: Any) -> int:
        return obj.member_count or 0

    @staticmethod
    def resolve_per_capita_net(obj: Any) -> Decimal | None:
        # SQLite hands subquery decimals back unscaled ("10000"); show cents like the detail.
        return None if obj.income_value is None else Decimal(obj.income_value).quantize(CENT)

    @staticmethod
    def resolve_income_year(obj: Any) -> int | None:
        return obj.income_value_year


def _with_income_year(qs: QuerySet[Household], year: int | None) -> QuerySet[Household]:
    """Add the year `income_value` belongs to (the selector picks the latest when no
    year is asked for); same subquery shape, still one SQL statement per page."""
    incomes = HouseholdIncome.objects.filter(household_id=OuterRef("pk"))
    incomes = incomes.filter(year=year) if year else incomes.order_by("-year")
    return qs.annotate(income_value_year=Subquery(incomes.values("year")[:1]))


@router.get(
    "/households",
    response=list[HouseholdItem],
    summary="农户列表",
    description=f"当前用户可见范围内的农户，可筛选、排序、分页（limit/offset，每页最多{MAX_PAGE}条）。",
)
@paginate(Pagination)
def list_households(request: HttpRequest, filters: Query[HouseholdQuery]) -> QuerySet[Household]:
    qs = household_list(request.auth, filters.to_filters())  # type: ignore[attr-defined]
    return _with_income_year(qs, filters.income_year)


# ---------------------------------------------------------------- detail


class MemberOut(Schema):
    id: int = Field(description="成员内部编号")
    name: str = Field(description="姓名")
    relation: str = Field(description="与户主关系")
    sex: str = Field(description="性别")
    age: int = Field(description="年龄（周岁）")
    id_type: str = Field(description="证件类型")
    id_number_masked: str = Field(description="证件号码（脱敏）")
    ethnicity: str = Field(description="民族")
    education: str = Field(description="文化程度")
    school_stage: str = Field(description="在校生状况")
    health: str = Field(description="健康状况")
    disability_grade: str = Field(description="残疾等级")
    labour_skill: str = Field(description="劳动技能")
    medical_insurance: bool = Field(description="是否参加城乡居民基本医疗保险")
    critical_illness_insurance: bool = Field(description="是否参加大病保险")
    dibao: str = Field(description="享受低保政策情况")
    tekun: str = Field(description="享受特困供养政策情况")
    phone_masked: str = Field(description="联系电话（脱敏）")

    @staticmethod
    def resolve_age(obj: Person) -> int:
        return _age(obj.birth_date, timezone.localdate())

    @staticmethod
    def resolve_id_number_masked(obj: Person) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_phone_masked(obj: Person) -> str:
        return mask_phone(obj.phone)


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class IncomeOut(Schema):
    year: int = Field(description="年度")
    wage: Decimal = Field(description="工资性收入（元）")
    business: Decimal = Field(description="生产经营性收入（元）")
    property_income: Decimal = Field(description="财产性收入（元）")
    transfer: Decimal = Field(description="转移性收入（元）")
    business_expense: Decimal = Field(description="生产经营性支出（元）")
    compliant_out_of_pocket: Decimal = Field(description="合规自付支出（元）")
    members: int = Field(description="家庭常住人口")
    per_capita_net: Decimal = Field(description="人均纯收入（元）")


class CaseOut(Schema):
    id: int = Field(description="监测对象内部编号")
    category: str = Field(description="监测对象类别")
    identified_on: dt.date = Field(description="识别监测时间")
    risks: list[str] = Field(description="致贫/返贫风险，按国办系统列序")

    @staticmethod
    def resolve_risks(obj: MonitoringCase) -> list[str]:
        return [r.risk_type for r in obj.risks.all()]


class PairingOut(Schema):
    cadre_name: str = Field(description="帮扶干部姓名")
    cadre_unit: str | None = Field(description="帮扶干部所在单位")
    side: str = Field(description="帮扶方代码：residence 居住地 / destination 迁入地 / origin 迁出地")
    side_label: str = Field(description="帮扶方")
    started_on: dt.date = Field(description="结对日期")

    @staticmethod
    def resolve_cadre_name(obj: Pairing) -> str:
        return str(obj.cadre)

    @staticmethod
    def resolve_cadre_unit(obj: Pairing) -> str | None:
        unit = obj.cadre.org_unit
        return unit.name if unit is not None else None

    @staticmethod
    def resolve_side_label(obj: Pairing) -> str:
        return obj.get_side_display()


class HouseholdDetail(HouseholdBase):
    dangerous_housing: bool = Field(description="是否危房户")
    safe_water: bool = Field(description="是否解决安全饮用水")
    origin_area_name: str | None = Field(description="迁出地名称")
    resettlement_site: str | None = Field(description="安置点")
    members: list[MemberOut] = Field(description="家庭成员")
    incomes: list[IncomeOut] = Field(description="各年度收入")
    open_cases: list[CaseOut] = Field(description="在监测的监测对象记录（已审定纳入、风险未消除）")
    pairings: list[PairingOut] = Field(description="在结对的帮扶干部")

    @staticmethod
    def resolve_origin_area_name(obj: Household) -> str | None:
        return "".join(_township_and_village(obj.origin_area)) if obj.origin_area_id else None

    @staticmethod
    def resolve_resettlement_site(obj: Household) -> str | None:
        site = obj.resettlement_site
        return site.name if site is not None else None

    @staticmethod
    def resolve_members(obj: Household) -> list[Person]:
        return list(obj.members.all())

    @staticmethod
    def resolve_incomes(obj: Household) -> list[HouseholdIncome]:
        return list(obj.incomes.all())

    @staticmethod
    def resolve_pairings(obj: Any) -> list[Pairing]:
        return obj.active_pairings


def _load_relations(household: Household) -> Household:
    """The household with its areas, then one query per relation, whatever the number of
    members, years or cases (the scope check already ran in get_household_for_user)."""
    open_cases = MonitoringCase.objects.filter(status=MonitoringCase.Status.APPROVED, eliminated=False)
    active = Pairing.objects.filter(ended_on__isnull=True).select_related("cadre__org_unit")
    household = Household.objects.select_related(
        "area__parent", "origin_area__parent", "resettlement_site"
    ).get(pk=household.pk)
    prefetch(
        [household],
        "members",
        "incomes",
        Prefetch("monitoring_cases", queryset=open_cases, to_attr="open_cases"),
        "open_cases__risks",
        Prefetch("pairings", queryset=active.order_by("started_on", "pk"), to_attr="active_pairings"),
    )
    return household


@router.get(
    "/households/{household_id}",
    response=HouseholdDetail,
    summary="农户详情",
    description="成员（证件号码、电话脱敏）、各年度收入、在监测记录及风险、结对帮扶。范围外与不存在同样返回 404。",
)
def get_household(request: HttpRequest, household_id: int) -> Household:
    household = get_household_for_user(request.auth, household_id)  # type: ignore[attr-defined]
    return _load_relations(household)
