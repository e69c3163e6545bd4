from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, unless the request came from a configured proxy
    (DIXIAN_TRUSTED_PROXIES); then the last X-Forwarded-For address that is not itself one
    of our proxies. A client cannot forge its address by sending the header directly."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = set(getattr(settings, "TRUSTED_PROXIES", []))
    if remote is None or remote not in proxies:
        return remote
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(chain):
        if address not in proxies:
            return address
    return remote


class ClientAddressMiddleware:
    """Put the client's address on the request for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip(request)  # type: ignore[attr-defined]
        return self.get_response(request)


NUL_MESSAGE = "参数不能包含空字符（NUL）"


class RejectNulMiddleware:
    """Refuse a query string holding a NUL character before any view sees it: PostgreSQL
    cannot store or compare one, so it would otherwise surface as a server error. Pages get
    400, the API its documented 422 with `detail`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = [
            key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)
        ]
        if bad or "\x00" in request.path:
            if request.path.startswith("/api/"):
                detail = [{"loc": ["query", key.replace("\x00", "")], "msg": NUL_MESSAGE} for key in bad]
                return JsonResponse({"detail": detail or [{"loc": ["path"], "msg": NUL_MESSAGE}]}, status=422)
            return HttpResponseBadRequest(NUL_MESSAGE)
        return self.get_response(request)
