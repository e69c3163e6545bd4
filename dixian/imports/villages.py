"""Village areas and their village committees: created on import when a file names a
village the system does not have yet, or from a village list (区划代码, 名称, 乡镇代码)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dixian.areas.models import Area, OrgUnit


def committee_name(village_name: str) -> str:
    if village_name.endswith("居委会"):
        return village_name
    return f"{village_name}村民委员会" if village_name.endswith("村") else f"{village_name}居民委员会"


def _attach(instance: Any, actor: Any) -> Any:
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    return instance


def next_village_code(township_code: str) -> str:
    """The next free 12-digit code under a township (villages are numbered from 201)."""
    codes = Area.objects.filter(code__startswith=township_code[:9]).exclude(code=township_code)
    used = [int(c[9:]) for c in codes.values_list("code", flat=True)]
    return f"{township_code[:9]}{max([200, *used]) + 1:03d}"


@transaction.atomic
def village_upsert(
    *, code: str | None, name: str, township_code: str, actor: Any = None
) -> tuple[Area, bool]:
    """Create or rename a village under a township, with its village committee.
    Returns (area, changed). Raises ValueError for an unknown township or a code that
    does not lie under it."""
    township = Area.objects.filter(code=township_code, level=Area.LevelChoices.TOWNSHIP).first()
    if township is None:
        raise ValueError(f"乡镇代码 {township_code} 不在系统中")
    code = code or next_village_code(township_code)
    if len(code) != 12 or not code.isdigit() or code[:9] != township_code[:9] or code[9:] == "000":
        raise ValueError(f"区划代码 {code} 不是乡镇 {township.name} 下的村级代码")
    area = Area.objects.filter(code=code).first()
    changed = False
    if area is None:
        area = _attach(Area(code=code, name=name, level=Area.LevelChoices.VILLAGE, parent=township), actor)
        area.save()
        changed = True
    elif area.name != name or area.parent_id != township.code:
        area.name, area.parent = name, township
        _attach(area, actor).save()
        changed = True
    unit = OrgUnit.objects.filter(area=area, kind=OrgUnit.Kind.VILLAGE_COMMITTEE).first()
    if unit is None:
        _attach(
            OrgUnit(area=area, kind=OrgUnit.Kind.VILLAGE_COMMITTEE, name=committee_name(name)), actor
        ).save()
        changed = True
    elif unit.name != committee_name(name):
        unit.name = committee_name(name)
        _attach(unit, actor).save()
        changed = True
    return area, changed
