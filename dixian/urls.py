from django.contrib import admin
from django.urls import include, path

from dixian.api import api

admin.site.site_header = "底线 · 后台管理"
admin.site.site_title = "底线后台"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("dixian.accounts.urls")),
    path("", include("dixian.registry.urls")),
    path("monitoring/", include("dixian.monitoring.urls")),
    path("income/", include("dixian.income.urls")),
    path("", include("dixian.dataquality.urls")),
    path("", include("dixian.exports.urls")),
    path("", include("dixian.imports.urls")),
    path("", include("dixian.core.urls")),
]
