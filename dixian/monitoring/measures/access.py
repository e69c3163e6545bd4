"""Who may write measures and events. County departments and unit leaders only read, as in
the identification workflow; the staff who visit and help households write (DOMAIN.md §1:
village, township, county bureau, assistance cadres)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from dixian.accounts.roles import Role

WRITERS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP, Role.VILLAGE, Role.CADRE})
REFUSED = "您的角色只能查看，不能登记帮扶措施或突发事件"


def may_write(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or (getattr(user, "roles", frozenset()) & WRITERS))


def check_writer(user: Any) -> None:
    """Refuse (403) a read-only role; callers load through scope first, so outside is 404."""
    if not may_write(user):
        raise PermissionDenied(REFUSED)
