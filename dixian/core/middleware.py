from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ClientAddressMiddleware:
    """Put the client's address on the request for the audit trail (REMOTE_ADDR only:
    forwarded headers are trusted only behind a configured proxy, which issue 6 adds)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = request.META.get("REMOTE_ADDR") or None  # type: ignore[attr-defined]
        return self.get_response(request)
