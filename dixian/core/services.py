from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dixian.core.models import AuditEvent


def audit_record(
    *, request: HttpRequest | None, user: Any, action: str, obj: Any = None, detail: str = ""
) -> AuditEvent:
    """Append one audit event; `obj` names the model instance concerned."""
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[:500],
        ip_address=getattr(request, "client_ip", None) if request is not None else None,
    )
