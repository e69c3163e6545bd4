"""The REST API root (Django Ninja), served at /api/v1/ with its OpenAPI schema."""

from ninja import NinjaAPI

api = NinjaAPI(title="底线 dixian API", version="1", urls_namespace="api")
