"""Household members of the demo county: composition, identity, schooling, health and
labour (DOMAIN.md §3 code lists). Ages are as of `REFERENCE` (data year 2025)."""

from __future__ import annotations

import datetime as dt
import random
from array import array
from dataclasses import dataclass
from types import SimpleNamespace

from dixian.demo.names import NameDrawer
from dixian.registry import idcard
from dixian.registry.choices import (
    PRESCHOOL,
    Dibao,
    DisabilityGrade,
    Education,
    Health,
    IdType,
    LabourSkill,
    Relation,
    Tekun,
)

# Plain-string views of the code lists: rows go to PostgreSQL COPY, which must see str
# values, and a str-valued Enum member does not hash like its value.
REL, EDU, HEALTH, GRADE, SKILL, DIBAO, TEKUN, IDTYPE = (
    SimpleNamespace(**{m.name: m.value for m in choices})
    for choices in (Relation, Education, Health, DisabilityGrade, LabourSkill, Dibao, Tekun, IdType)
)
REFERENCE = dt.date(2025, 12, 31)
SCHOOL_YEAR_START = dt.date(2025, 9, 1)

PERSON_COLUMNS = (
    "id", "household_id", "id_type", "id_number", "disability_suffix", "name", "sex", "birth_date",
    "relation", "ethnicity", "education", "school_stage", "health", "disability_grade", "labour_skill",
    "medical_insurance", "critical_illness_insurance", "dibao", "tekun", "phone",
)  # fmt: skip

HOME_AREA = "360724"
# Where spouses who married in were born (赣州's other counties and districts), weighted.
OTHER_AREAS = ["360703"] * 6 + ["360725"] * 5 + ["360702"] * 3 + ["360723", "360704"] * 2 + [
    "360722", "360726", "360730", "360731", "360732", "360781",
]  # fmt: skip
AREAS = [HOME_AREA, *sorted(set(OTHER_AREAS))]
AREA_INDEX = {code: i for i, code in enumerate(AREAS)}

_ORD0 = dt.date(1900, 1, 1).toordinal()
_DAYS = REFERENCE.toordinal() - _ORD0 + 1
GRADES = [GRADE.FIRST, GRADE.SECOND, GRADE.THIRD, GRADE.FOURTH]
LINEAGE = {REL.SON, REL.DAUGHTER, REL.GRANDSON, REL.GRANDDAUGHTER, REL.FATHER}


class IdAllocator:
    """Unique GB 11643 IDs: one counter per (area, birth date, sex) and a seeded
    permutation of the 500 sequence numbers of each sex (odd for men)."""

    def __init__(self, seed: int) -> None:
        order = list(range(500))
        random.Random(f"{seed}:id-sequence").shuffle(order)
        # Per sequence number: its three digits and their share of the GB 11643 check sum.
        self.sequences = [
            [(f"{s:03d}", sum(int(d) * w for d, w in zip(f"{s:03d}", idcard.WEIGHTS[14:], strict=True)))
             for s in (2 * k + male for k in order)]
            for male in (0, 1)
        ]  # fmt: skip
        self.counts = array("H", bytes(2 * len(AREAS) * _DAYS * 2))
        self.prefixes: dict[tuple[str, int], tuple[str, int]] = {}

    def _prefix(self, area6: str, ordinal: int) -> tuple[str, int]:
        """Area and birth date digits and their share of the check sum (cached)."""
        key = (area6, ordinal)
        found = self.prefixes.get(key)
        if found is None:
            digits = area6 + dt.date.fromordinal(ordinal).strftime("%Y%m%d")
            found = (digits, sum(int(d) * w for d, w in zip(digits, idcard.WEIGHTS[:14], strict=True)))
            self.prefixes[key] = found
        return found

    def issue(self, area6: str, birth: dt.date, male: bool) -> tuple[str, dt.date]:
        """An unused ID and the birth date it encodes (moved a day on when a date is full).

        Equivalent to `idcard.make` with the check sum split in two cached parts."""
        base = AREA_INDEX[area6] * _DAYS * 2
        ordinal = birth.toordinal()
        while True:
            slot = base + (ordinal - _ORD0) * 2 + male
            k = self.counts[slot]
            if k < 500:
                self.counts[slot] = k + 1
                digits, partial = self._prefix(area6, ordinal)
                sequence, share = self.sequences[male][k]
                number = digits + sequence + idcard.CHECK_CHARS[(partial + share) % 11]
                return number, dt.date.fromordinal(ordinal)
            ordinal = ordinal - 1 if ordinal >= REFERENCE.toordinal() else ordinal + 1


@dataclass(slots=True)
class Profile:
    """What income and monitoring depend on."""

    size: int
    labour: int  # 普通/技能劳动力
    weak: int  # 弱劳动力或半劳动力
    students: int  # in school, preschool not counted
    serious: bool  # someone 患大病
    chronic: bool
    disabled: int
    severe_disability: bool  # 一级/二级
    elderly: int  # 65 and over
    dibao: bool
    tekun: bool

    @property
    def no_labour(self) -> bool:
        return self.labour == 0 and self.weak == 0


def _composition(r, size: int) -> list[tuple[str, int, bool]]:
    """(relation, age, male) of each member, the head first."""

    def child(rel_m: str, rel_f: str, age: int) -> tuple[str, int, bool]:
        male = r() < 0.52
        return (rel_m if male else rel_f, max(0, age), male)

    if size == 1:
        return [(REL.HEAD, 48 + int(r() * 40), r() < 0.65)]
    young = size >= 3 and r() < 0.6
    head_age = 28 + int(r() * 22) if young else (50 + int(r() * 30) if size >= 3 else 45 + int(r() * 40))
    head_male = r() < 0.86
    members = [(REL.HEAD, head_age, head_male)]
    if r() < 0.88:
        members.append(
            (REL.SPOUSE, max(20, head_age + (int(r() * 9) - 6) * (1 if head_male else -1)), not head_male)
        )
    slots = size - len(members)
    if young:
        parents = min(slots - 1, int(r() * 3)) if slots >= 2 and head_age >= 32 else 0
        age = head_age - 21 - int(r() * 8)
        for _ in range(slots - parents):
            members.append(child(REL.SON, REL.DAUGHTER, age))
            age -= 1 + int(r() * 4)
        first_father = r() < 0.4  # a lone parent is more often the mother
        for i in range(parents):
            p_age = min(95, head_age + 23 + int(r() * 10))
            father = (i == 0) == first_father
            members.append((REL.FATHER, p_age, True) if father else (REL.MOTHER, p_age - 2, False))
        return members
    adult = min(slots, 1 + int(r() * 2))
    son_age = head_age - 22 - int(r() * 8)
    for i in range(adult):
        if i == 0:
            members.append((REL.SON, son_age, True))
        else:
            members.append(child(REL.SON, REL.DAUGHTER, son_age - 2 - int(r() * 5)))
    slots -= adult
    if slots > 0 and son_age >= 22:
        members.append((REL.DAUGHTER_IN_LAW, son_age - int(r() * 4), False))
        slots -= 1
    age = son_age - 23 - int(r() * 6)
    for _ in range(slots):
        members.append(child(REL.GRANDSON, REL.GRANDDAUGHTER, age if age >= 0 else int(r() * 4)))
        age -= 1 + int(r() * 3)
    return members


# Attainment of adults out of school by age band (≤40, 41–60, over 60): cumulative shares.
ADULT_EDUCATION: tuple[tuple[tuple[float, str], ...], ...] = (
    ((0.08, EDU.PRIMARY), (0.53, EDU.JUNIOR), (0.73, EDU.SENIOR), (0.85, EDU.VOCATIONAL),
     (0.95, EDU.COLLEGE), (1.0, EDU.BACHELOR)),
    ((0.04, EDU.ILLITERATE), (0.39, EDU.PRIMARY), (0.84, EDU.JUNIOR), (0.96, EDU.SENIOR), (1.0, EDU.VOCATIONAL)),
    ((0.35, EDU.ILLITERATE), (0.85, EDU.PRIMARY), (0.98, EDU.JUNIOR), (1.0, EDU.SENIOR)),
)  # fmt: skip


def _schooling(r, school_age: int, age: int) -> tuple[str, str]:
    """(文化程度, 在校生状况)."""
    if age < 3:
        return EDU.NONE, ""
    if school_age < 6:
        return EDU.NONE, (PRESCHOOL if r() < 0.85 else "")
    if school_age <= 11:
        return EDU.PRIMARY, f"小学{'一二三四五六'[school_age - 6]}年级"
    if school_age <= 14:
        return EDU.JUNIOR, "七八九"[school_age - 12] + "年级"
    if school_age <= 17:
        if r() < 0.05:
            return EDU.JUNIOR, ""
        grade = "一二三"[school_age - 15]
        return (EDU.SENIOR, f"普通高中{grade}年级") if r() < 0.6 else (EDU.VOCATIONAL, f"中职{grade}年级")
    if school_age <= 21 and r() < 0.45:
        if school_age <= 20 and r() < 0.6:
            return EDU.COLLEGE, f"高职高专{'一二三'[school_age - 18]}年级"
        return EDU.BACHELOR, f"本科{'一二三四'[school_age - 18]}年级"
    x = r()
    band = ADULT_EDUCATION[0 if age <= 40 else (1 if age <= 60 else 2)]
    return next(e for limit, e in band if x < limit), ""


def _health(r, age: int, frailty: float) -> tuple[str, str]:
    """(健康状况, 残疾等级)."""
    x = r() / frailty
    band = 0 if age < 40 else (1 if age <= 60 else 2)
    disabled, serious, chronic = ((0.03, 0.01, 0.03), (0.055, 0.04, 0.12), (0.09, 0.07, 0.28))[band]
    if x < disabled:
        g = r()
        grade = GRADES[0 if g < 0.15 else (1 if g < 0.4 else (2 if g < 0.7 else 3))]
        return HEALTH.DISABLED, grade
    if x < disabled + serious:
        return HEALTH.SERIOUS, ""
    if x < disabled + serious + chronic:
        return HEALTH.CHRONIC, ""
    return HEALTH.HEALTHY, ""


def _labour(r, age: int, health: str, grade: str, student: bool) -> str:
    if age < 16 or student:
        return SKILL.NONE
    x = r()
    if health == HEALTH.SERIOUS:
        return SKILL.LOST if x < 0.6 else SKILL.WEAK
    if health == HEALTH.DISABLED:
        if grade in (GRADE.FIRST, GRADE.SECOND):
            return SKILL.LOST
        return SKILL.WEAK if x < 0.6 else SKILL.ORDINARY
    if age > 70:
        return SKILL.NONE if health == HEALTH.HEALTHY else SKILL.LOST
    if age > 60:
        return SKILL.ORDINARY if x < 0.3 else (SKILL.WEAK if x < 0.9 else SKILL.LOST)
    if health == HEALTH.CHRONIC:
        return SKILL.WEAK if x < 0.4 else SKILL.ORDINARY
    return SKILL.SKILLED if x < 0.2 else (SKILL.ORDINARY if x < 0.95 else SKILL.WEAK)


def household_size(r) -> int:
    """1–8 members, mean about 3.7 (55,000 people in 15,000 脱贫户)."""
    x = r()
    for size, limit in ((1, 0.10), (2, 0.27), (3, 0.45), (4, 0.67), (5, 0.85), (6, 0.95), (7, 0.99)):
        if x < limit:
            return size
    return 8


def _birth_date(r, age: int) -> dt.date:
    year = REFERENCE.year - age
    start = dt.date(year, 1, 1).toordinal()
    end = dt.date(year, 12, 31).toordinal()
    return dt.date.fromordinal(start + int(r() * (end - start + 1)))


def _school_age(birth: dt.date) -> int:
    """Age on 31 August 2025: a child six by then is in 小学一年级."""
    return SCHOOL_YEAR_START.year - birth.year - (1 if (birth.month, birth.day) > (8, 31) else 0)


def _person(r, names: NameDrawer, ids: IdAllocator, relation: str, age: int, male: bool, family: tuple[str, str],
            frailty: float) -> tuple:  # fmt: skip
    """One member's fields from id_type to phone (PERSON_COLUMNS[2:], 低保/特困 left out)."""
    surname, generation = family
    lineage = relation == REL.HEAD or relation in LINEAGE
    given = names.given(male, generation if relation in (REL.SON, REL.DAUGHTER) else "")
    name = (surname if lineage else names.surname()) + given
    area = HOME_AREA if r() < (0.95 if lineage else 0.7) else OTHER_AREAS[int(r() * len(OTHER_AREAS))]
    id_number, birth = ids.issue(area, _birth_date(r, age), male)
    education, stage = _schooling(r, _school_age(birth), age)
    health, grade = _health(r, age, frailty)
    skill = _labour(r, age, health, grade, bool(stage) and stage != PRESCHOOL)
    id_type, suffix = IDTYPE.RESIDENT, ""
    if health == HEALTH.DISABLED and r() < 0.8:  # most disabled people are registered by 残疾人证
        id_type, suffix = IDTYPE.DISABILITY, f"{1 + int(r() * 7)}{GRADES.index(grade) + 1}"
    phone = names.phone() if 16 <= age <= 75 and r() < 0.75 else ""
    insured = r() < 0.996
    ethnicity = "汉族" if r() > 0.003 else "畲族"
    return (id_type, id_number, suffix, name, "男" if male else "女", birth, relation, ethnicity,
            education, stage, health, grade, skill, insured, insured, phone)  # fmt: skip


# Positions in a `_person` tuple.
_BIRTH, _STAGE, _HEALTH, _GRADE, _SKILL, _PHONE = 5, 9, 10, 11, 12, 15


def _profile(drafts: list[tuple]) -> Profile:
    skills = [d[_SKILL] for d in drafts]
    health = {d[_HEALTH] for d in drafts}
    return Profile(
        size=len(drafts),
        labour=sum(s in (SKILL.ORDINARY, SKILL.SKILLED) for s in skills),
        weak=skills.count(SKILL.WEAK),
        students=sum(bool(d[_STAGE]) and d[_STAGE] != PRESCHOOL for d in drafts),
        serious=HEALTH.SERIOUS in health,
        chronic=HEALTH.CHRONIC in health,
        disabled=sum(d[_HEALTH] == HEALTH.DISABLED for d in drafts),
        severe_disability=any(d[_GRADE] in (GRADE.FIRST, GRADE.SECOND) for d in drafts),
        elderly=sum(REFERENCE.year - d[_BIRTH].year >= 65 for d in drafts),
        dibao=False,
        tekun=False,
    )


def make_members(
    rng: random.Random,
    names: NameDrawer,
    ids: IdAllocator,
    *,
    household_id: int,
    first_id: int,
    size: int,
    alleviated: bool,
    urban: bool,
) -> tuple[list[tuple], Profile]:
    """The member rows (in PERSON_COLUMNS order) of one household and its profile."""
    r = rng.random
    family = (names.surname(), names.generation_char())
    frailty = 1.25 if alleviated else 1.0  # 脱贫户 carry more illness and disability
    drafts = [
        _person(r, names, ids, rel, age, male, family, frailty) for rel, age, male in _composition(r, size)
    ]
    profile = _profile(drafts)
    # 低保/特困 are decided on the household's own facts (not on monitoring, notice §1).
    profile.tekun = size == 1 and profile.no_labour and profile.elderly > 0 and r() < 0.45
    odds = (0.08 if alleviated else 0.03) * (3 if profile.no_labour else 1)
    odds *= 2 if profile.serious or profile.severe_disability else 1
    odds *= 1.5 if profile.elderly == size else 1
    profile.dibao = not profile.tekun and r() < min(0.7, odds)
    dibao = (DIBAO.URBAN if urban else DIBAO.RURAL) if profile.dibao else DIBAO.NONE
    tekun = (TEKUN.URBAN if urban else TEKUN.RURAL) if profile.tekun else TEKUN.NONE
    rows = [(first_id + i, household_id, *d[:15], dibao, tekun, d[_PHONE]) for i, d in enumerate(drafts)]
    return rows, profile
