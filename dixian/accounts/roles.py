"""The six roles of DOMAIN.md §1. Each is a Django group of that name (seeded by a
migration); the group carries the role's permissions, the code is what scope reads."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COUNTY_ADMIN = "county_admin"
    COUNTY_DEPARTMENT = "county_department"
    TOWNSHIP = "township"
    VILLAGE = "village"
    CADRE = "cadre"
    UNIT_LEADER = "unit_leader"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.COUNTY_ADMIN: "县级管理员",
    Role.COUNTY_DEPARTMENT: "县直部门",
    Role.TOWNSHIP: "乡镇",
    Role.VILLAGE: "村",
    Role.CADRE: "帮扶干部",
    Role.UNIT_LEADER: "帮扶单位负责人",
}

# Group name -> role; the group names are what the seeding migration creates.
ROLE_BY_GROUP_NAME: dict[str, Role] = {label: role for role, label in ROLE_LABELS.items()}

# Roles whose scope is an area of the tree (with relocated households' origins);
# the other two see households through cadre pairings.
AREA_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_DEPARTMENT, Role.TOWNSHIP, Role.VILLAGE})
PAIRING_ROLES = frozenset({Role.CADRE, Role.UNIT_LEADER})

PERM_VIEW_FULL_PII = "registry.view_full_pii"
PERM_CHANGE_PARAMETERS = "registry.change_policyparameter"
