"""Employment of the demo county's labour (务工监测, DOMAIN.md §7): one EmploymentRecord
per working member as the national system's 已外出务工信息 holds it, and a WorkPlan
(计划外出务工信息) for part of the labour that is not working.

Most workers go to the Pearl River Delta, Zhejiang and Fujian; a quarter work elsewhere in
Jiangxi; the weaker labour finds work in the county (公益性岗位, 帮扶车间). The 年度交通费补助
follows the parameters' amounts: 省外 and 省内跨县 for members of 脱贫/监测 households.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dixian.demo.people import PERSON_COLUMNS, SKILL

EMPLOYMENT_COLUMNS = (
    "id", "person_id", "is_working", "province", "county", "started_on", "ended_on", "monthly_income",
    "employer", "industry", "channel", "point_to_point", "transport_subsidy",
)  # fmt: skip
WORK_PLAN_COLUMNS = ("id", "person_id", "plans_to_work", "service_needs")

AS_OF = dt.date(2026, 11, 29)  # the demo's reference date
_ID, _BIRTH, _STAGE, _SKILL = (
    PERSON_COLUMNS.index(c) for c in ("id", "birth_date", "school_stage", "labour_skill")
)
FULL = frozenset({SKILL.ORDINARY, SKILL.SKILLED})
WORKING_ODDS = {SKILL.SKILLED: 0.78, SKILL.ORDINARY: 0.66, SKILL.WEAK: 0.22}
PLAN_ODDS = 0.45  # of the labour not working, the share with a 计划务工 record
AGES = (17, 60)  # working age at AS_OF, a year inside the labour-age parameters

HOME_PROVINCE, HOME_COUNTY = "江西省", "上犹县"
# (province, weight, places): where 省外 workers go.
OUT_PROVINCE = (
    ("广东省", 0.55, ("深圳市宝安区", "深圳市龙岗区", "东莞市", "广州市白云区", "佛山市顺德区", "中山市", "惠州市惠阳区")),
    ("浙江省", 0.2, ("义乌市", "宁波市鄞州区", "温州市瓯海区", "杭州市萧山区")),
    ("福建省", 0.13, ("厦门市集美区", "晋江市", "泉州市丰泽区", "福州市仓山区")),
    ("江苏省", 0.07, ("苏州市昆山市", "苏州市吴江区")),
    ("上海市", 0.05, ("松江区", "嘉定区")),
)  # fmt: skip
IN_PROVINCE = ("赣州市章贡区", "赣州市南康区", "赣州市赣县区", "崇义县", "南昌市青山湖区", "吉安市吉州区")
INDUSTRIES = (
    ("制造业", 0.45, ("电子科技有限公司", "五金制品有限公司", "鞋业有限公司", "服装有限公司", "家具有限公司")),
    ("建筑业", 0.2, ("建筑工程有限公司", "建设集团有限公司")),
    ("住宿和餐饮业", 0.1, ("餐饮管理有限公司", "酒店管理有限公司")),
    ("批发和零售业", 0.08, ("商贸有限公司", "超市有限公司")),
    ("交通运输、仓储和邮政业", 0.07, ("物流有限公司", "快递服务有限公司")),
    ("居民服务、修理和其他服务业", 0.1, ("家政服务有限公司", "物业管理有限公司")),
)  # fmt: skip
BRANDS = (
    "鑫达",
    "华盛",
    "宏发",
    "永兴",
    "立信",
    "伟业",
    "金源",
    "恒泰",
    "富康",
    "嘉诚",
    "明辉",
    "盛世",
    "联创",
    "科达",
)
AWAY_CHANNELS = (("自主就业", 0.45), ("亲友介绍", 0.25), ("政府组织劳务输出", 0.15), ("企业招聘", 0.1), ("人力资源服务机构", 0.05))  # fmt: skip
PUBLIC_JOBS = ("村保洁员", "护林员", "河道巡查员", "公路养护员", "农家书屋管理员")
NEEDS = ("岗位信息", "职业介绍", "技能培训", "岗位信息、技能培训", "创业扶持")


@dataclass(frozen=True)
class Subsidies:
    """年度交通费补助 amounts (parameters transport_subsidy_out/in_province)."""

    out_province: int = 500
    in_province: int = 300


@dataclass
class Work:
    """One household's employment rows and what its measures depend on."""

    employment: list[tuple]
    plans: list[tuple]
    working: int = 0  # members working now
    subsidy: int = 0  # the highest transport subsidy of a member working outside the county


def _weighted(r, options):
    x = r() * sum(o[1] for o in options)
    for option in options:
        x -= option[1]
        if x < 0:
            return option
    return options[-1]


def _date(r, first: dt.date, last: dt.date) -> dt.date:
    return dt.date.fromordinal(first.toordinal() + int(r() * (last.toordinal() - first.toordinal() + 1)))


def _hundreds(r, low: int, high: int) -> int:
    return (low + int(r() * (high - low))) // 100 * 100


def _record(r, skill: str, village: str, subsidies: Subsidies, eligible: bool) -> tuple:
    """(province, county, income, employer, industry, channel, point_to_point, subsidy)."""
    x = r()
    local = x >= 0.78 if skill in FULL else x >= 0.15
    if local:
        y = r()
        if y < 0.35:
            job = PUBLIC_JOBS[int(r() * len(PUBLIC_JOBS))]
            return HOME_PROVINCE, HOME_COUNTY, _hundreds(r, 800, 1600), village, job, "公益性岗位", False, 0
        if y < 0.6:
            brand = BRANDS[int(r() * len(BRANDS))]
            return HOME_PROVINCE, HOME_COUNTY, _hundreds(r, 2200, 3800), f"上犹县{brand}帮扶车间", "制造业", "帮扶车间", False, 0  # fmt: skip
        industry, _, suffixes = _weighted(r, INDUSTRIES)
        employer = f"上犹县{BRANDS[int(r() * len(BRANDS))]}{suffixes[int(r() * len(suffixes))]}"
        channel = "就近就业" if r() < 0.7 else "灵活就业"
        return HOME_PROVINCE, HOME_COUNTY, _hundreds(r, 2500, 4500), employer, industry, channel, False, 0
    industry, _, suffixes = _weighted(r, INDUSTRIES)
    brand, suffix = BRANDS[int(r() * len(BRANDS))], suffixes[int(r() * len(suffixes))]
    channel = _weighted(r, AWAY_CHANNELS)[0]
    skilled = 1500 if skill == SKILL.SKILLED else 0
    if x < (0.52 if skill in FULL else 0.08):
        province, _, places = _weighted(r, OUT_PROVINCE)
        county = places[int(r() * len(places))]
        wage = _hundreds(r, 4000 + skilled, 7600 + skilled)
        subsidy = subsidies.out_province
    else:
        province, county = HOME_PROVINCE, IN_PROVINCE[int(r() * len(IN_PROVINCE))]
        wage = _hundreds(r, 3200 + skilled, 6000 + skilled)
        subsidy = subsidies.in_province
    city = county.split("市")[0] + "市" if "市" in county else province
    point_to_point = channel == "政府组织劳务输出" and r() < 0.6
    return (
        province,
        county,
        wage,
        f"{city}{brand}{suffix}",
        industry,
        channel,
        point_to_point,
        subsidy if eligible else 0,
    )


def household_work(
    r,
    members: list[tuple],
    take: Callable[[str, int], int],
    *,
    village: str,
    subsidies: Subsidies,
    eligible: bool,
    lost_job: bool,
) -> Work:
    """Employment records and work plans of one household's members. `eligible`: a 脱贫 or
    monitored household (transport subsidy); `lost_job`: its income collapsed in 2025,
    so its first worker came home that year."""
    work = Work([], [])
    for m in members:
        skill = m[_SKILL]
        age = AS_OF.year - m[_BIRTH].year
        if skill not in WORKING_ODDS or m[_STAGE] or not AGES[0] <= age <= AGES[1]:
            continue
        if r() < WORKING_ODDS[skill]:
            province, county, wage, employer, industry, channel, p2p, subsidy = _record(
                r, skill, village, subsidies, eligible
            )
            started = _date(r, dt.date(2019, 3, 1), dt.date(2026, 10, 31))
            ended = None
            if lost_job or r() < 0.05:  # came home: the record stays, not working
                lost_job = False
                started = min(started, dt.date(2024, 12, 31))
                ended = _date(r, max(started, dt.date(2025, 1, 1)), dt.date(2025, 12, 31))
            else:
                work.working += 1
                if subsidy:
                    work.subsidy = max(work.subsidy, subsidy)
            work.employment.append((
                take("employment", 1), m[_ID], ended is None, province, county, started, ended, wage, employer,
                industry, channel, p2p, subsidy,
            ))  # fmt: skip
        elif r() < PLAN_ODDS:
            plans = r() < 0.55
            needs = NEEDS[int(r() * len(NEEDS))] if plans or r() < 0.2 else ""
            work.plans.append((take("workplan", 1), m[_ID], plans, needs))
    return work
