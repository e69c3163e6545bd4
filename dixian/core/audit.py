"""The audit page's queries: which events a user may read, and the filters on them.

A county admin reads the events of users whose org unit lies in their county; sign-ins and
failed sign-ins (kept by django-axes) likewise for user names of their county. Failed
sign-ins under names nobody has only a superuser (a province operator) reads: a name typed
by anyone says nothing about a county."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from dixian.accounts.roles import Role
from dixian.accounts.scope import area_prefix_of
from dixian.core.models import AuditEvent
from dixian.core.widgets import bootstrap


def can_read_audit(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or Role.COUNTY_ADMIN in getattr(user, "roles", ()))


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("user", "user__org_unit")
    if getattr(user, "is_superuser", False):
        return events
    prefix = area_prefix_of(user)
    if prefix is None or not can_read_audit(user):
        return events.none()
    return events.filter(user__org_unit__area__code__startswith=prefix)


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    username = forms.CharField(label="用户", required=False, max_length=150)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部"), *AuditEvent.Action.choices]
    )
    object_type = forms.CharField(label="对象类型", required=False, max_length=64)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    ip_address = forms.GenericIPAddressField(label="来源地址", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期晚于截止日期")
        return data


# cleaned field → lookup; the user field also matches the detail text (failed sign-ins name
# the user there).
LOOKUPS = {
    "date_from": "at__date__gte",
    "date_to": "at__date__lte",
    "action": "action",
    "object_type": "object_type__icontains",
    "object_id": "object_id",
    "ip_address": "ip_address",
}


def filter_events(events: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """`events` narrowed by a valid AuditFilterForm's cleaned data (empty fields ignored)."""
    q = Q(**{LOOKUPS[k]: v for k, v in data.items() if k in LOOKUPS and v})
    if data.get("username"):
        q &= Q(user__username__icontains=data["username"]) | Q(detail__icontains=data["username"])
    return events.filter(q)


def describe(data: dict[str, Any]) -> str:
    return "；".join(f"{k}={v}" for k, v in data.items() if v) or "全部"


HEADER = ["时间", "用户", "单位", "操作", "对象类型", "对象编号", "说明", "来源地址"]


def rows(events: QuerySet[AuditEvent]) -> Any:
    for e in events.iterator(chunk_size=2000):
        unit = e.user.org_unit.name if e.user and e.user.org_unit else ""
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.user.username if e.user else "",
            unit,
            e.get_action_display(),
            e.object_type,
            e.object_id,
            e.detail,
            e.ip_address or "",
        ]


@dataclass(frozen=True)
class SignIn:
    at: dt.datetime
    username: str
    ok: bool
    ip_address: str
    user_agent: str
    logout_at: dt.datetime | None
    locked_out: bool


def sign_ins_visible_to(user: Any, limit: int = 200) -> list[SignIn]:
    """The latest sign-ins and failed sign-ins a user may read, newest first."""
    from axes.models import AccessFailureLog, AccessLog

    from dixian.accounts.models import User

    logs = AccessLog.objects.all()
    failures = AccessFailureLog.objects.all()
    if not getattr(user, "is_superuser", False):
        prefix = area_prefix_of(user)
        if prefix is None or not can_read_audit(user):
            return []
        names = User.objects.filter(org_unit__area__code__startswith=prefix).values("username")
        logs, failures = logs.filter(username__in=names), failures.filter(username__in=names)
    found = [
        SignIn(a.attempt_time, a.username or "", True, a.ip_address or "", a.user_agent, a.logout_time, False)
        for a in logs.order_by("-attempt_time")[:limit]
    ] + [
        SignIn(a.attempt_time, a.username or "", False, a.ip_address or "", a.user_agent, None, a.locked_out)
        for a in failures.order_by("-attempt_time")[:limit]
    ]
    return sorted(found, key=lambda s: s.at, reverse=True)[:limit]
