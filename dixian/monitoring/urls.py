"""Routes of the monitoring app, included under /monitoring/ by dixian/urls.py.
Screening warnings first; other parts of the app append their routes below."""

from django.urls import path

from dixian.monitoring import screening_views

urlpatterns = [
    path("warnings/", screening_views.warning_summary, name="screening_summary"),
    path("warnings/run/", screening_views.screening_run, name="screening_run"),
    path("warnings/run/<str:result_id>/", screening_views.screening_run_status, name="screening_run_status"),
    path("warnings/<str:code>/", screening_views.warning_list, name="screening_warning_list"),
    path("warnings/<str:code>/export/", screening_views.warning_export, name="screening_warning_export"),
]

# ---- identification/elimination workflow (dixian.monitoring.workflow_views) ----
from dixian.monitoring import workflow_views  # noqa: E402

urlpatterns += [
    path("cases/", workflow_views.case_list, name="workflow_case_list"),
    path("cases/new/", workflow_views.case_new, name="workflow_case_new"),
    path("cases/<int:pk>/", workflow_views.case_detail, name="workflow_case_detail"),
    path("cases/<int:pk>/step/<str:step>/", workflow_views.case_step, name="workflow_step"),
    path("cases/<int:pk>/elimination/", workflow_views.elimination_open, name="workflow_elimination_open"),
    path(
        "cases/<int:pk>/elimination/<int:elimination_pk>/step/<str:step>/",
        workflow_views.elimination_step,
        name="workflow_elimination_step",
    ),
    path("cases/<int:pk>/analysis/", workflow_views.analysis_new, name="workflow_analysis_new"),
    path("analysis/", workflow_views.analysis_overview, name="workflow_analysis_overview"),
    path("publicity/<int:pk>/print/", workflow_views.publicity_print, name="workflow_publicity_print"),
]

# ---- monitoring dashboard (dixian.monitoring.dashboard_views) ----
from dixian.monitoring import dashboard_views  # noqa: E402

urlpatterns += [
    path("dashboard/", dashboard_views.dashboard, name="monitoring_dashboard"),
]

# ---- printable 明白纸 (dixian.monitoring.leaflets) ----
from dixian.monitoring.leaflets import views as leaflet_views  # noqa: E402

urlpatterns += [
    path("leaflets/", leaflet_views.leaflet_index, name="leaflet_index"),
    path("leaflets/all/", leaflet_views.leaflet_all, name="leaflet_all"),
    path("leaflets/<slug:slug>/", leaflet_views.leaflet_sheet, name="leaflet_sheet"),
]

# ---- assistance measures and disaster/accident events (dixian.monitoring.measures.views) ----
from dixian.monitoring.measures import views as measure_views  # noqa: E402

urlpatterns += [
    path("households/<int:household_pk>/measures/new/", measure_views.measure_new, name="measure_new"),
    path("measures/<int:pk>/edit/", measure_views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/end/", measure_views.measure_end, name="measure_end"),
    path("measures/detail-options/", measure_views.detail_options, name="measure_detail_options"),
    path("households/<int:household_pk>/events/new/", measure_views.event_new, name="event_new"),
]
