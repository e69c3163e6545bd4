from django.urls import path

from dixian.exports import views

urlpatterns = [
    path("exports/households.xlsx", views.households_xlsx, name="export_households_xlsx"),
    path("exports/households.csv", views.households_csv, name="export_households_csv"),
    path(
        "exports/households-monitoring.xlsx",
        views.households_monitoring_xlsx,
        name="export_households_monitoring_xlsx",
    ),
    path(
        "exports/households-monitoring.csv",
        views.households_monitoring_csv,
        name="export_households_monitoring_csv",
    ),
    path("exports/persons.xlsx", views.persons_xlsx, name="export_persons_xlsx"),
    path("exports/persons.csv", views.persons_csv, name="export_persons_csv"),
    path("exports/cases-monitoring.xlsx", views.cases_monitoring_xlsx, name="export_cases_monitoring_xlsx"),
    path("exports/cases-monitoring.csv", views.cases_monitoring_csv, name="export_cases_monitoring_csv"),
    path("exports/jobs/<int:pk>/", views.export_job, name="export_job"),
    path("exports/jobs/<int:pk>/download/", views.export_job_download, name="export_job_download"),
]
