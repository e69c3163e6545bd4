"""Bearer-token authentication for the REST API (`Authorization: Bearer <key>`).

Keys are issued by `dixian create_api_token`; only their SHA-256 hash is stored
(`ApiToken.hash_key`). A token authenticates as its user, so everything the API returns
is scoped exactly as for that user's session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from dixian.accounts.models import ApiToken

# last_used_at is for people ("was this token used this week?"), not an access log:
# writing it at most once a minute keeps busy clients from turning reads into writes.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def user_for_token(key: str) -> Any | None:
    """The active user a live token belongs to, or None for unknown, revoked or
    inactive-user tokens (the caller answers all three the same way: 401)."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__org_unit")
        .filter(key_hash=ApiToken.hash_key(key), revoked=False)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional UPDATE: concurrent requests in the same minute write once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token.user


class ApiTokenAuth(HttpBearer):
    """Ninja auth callback: returns the token's user (becomes `request.auth`)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token.strip())
        if user is not None:
            # Later writes record the acting user in history and audit rows from request.user.
            request.user = user
        return user
