"""The REST API root (Django Ninja), served at /api/v1/ with its OpenAPI schema
(/api/v1/openapi.json) and interactive docs (/api/v1/docs).

Every operation needs a signed-in user: a bearer token (`dixian create_api_token`) or the
browser session (CSRF enforced for unsafe methods). Each app contributes one router in its
own `api.py`; add it to ROUTERS below. Scope is the app's business: its operations read
through `dixian.accounts.scope` and the app's selectors, like the HTML views do.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from dixian.accounts.api_auth import ApiTokenAuth

_ERROR = {"type": "object", "properties": {"detail": {}}, "required": ["detail"]}
_JSON_ERROR = {"content": {"application/json": {"schema": _ERROR}}}


class DixianAPI(NinjaAPI):
    """Ninja, with the answers every operation can give written into its schema: 401 without
    a valid token or session, 404 for an id that does not exist or lies outside the user's
    scope, 422 for parameters that fail validation (`detail` names each field and why)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                parameters = operation.get("parameters") or []
                if operation.get("security"):
                    responses.setdefault("401", {"description": "未登录或令牌无效", **_JSON_ERROR})
                if any(p.get("in") == "path" for p in parameters):
                    responses.setdefault("404", {"description": "不存在，或不在本人辖区内", **_JSON_ERROR})
                if parameters or operation.get("requestBody"):
                    responses.setdefault(
                        "422", {"description": "参数不合法：detail 逐项说明字段和原因", **_JSON_ERROR}
                    )
        return schema


# The token is tried first: a token client has no CSRF cookie, and the session check
# would otherwise answer its unsafe requests with 403 before the token is looked at.
api = DixianAPI(
    title="底线 dixian API",
    version="1",
    urls_namespace="api",
    description="上犹县防止返贫监测帮扶平台接口。认证：`Authorization: Bearer <令牌>` 或已登录的浏览器会话。",
    auth=[ApiTokenAuth(), django_auth],
)

# (URL prefix, dotted path of the app's Router)
ROUTERS: list[tuple[str, str]] = [
    ("", "dixian.registry.api.router"),
    ("/monitoring", "dixian.monitoring.api.router"),
    ("", "dixian.income.api.router"),
]

for prefix, router in ROUTERS:
    api.add_router(prefix, router)

NOT_FOUND_BODY = {"detail": "未找到"}


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """One body for "does not exist" and "outside your scope", whatever DEBUG says."""
    return api.create_response(request, NOT_FOUND_BODY, status=404)
