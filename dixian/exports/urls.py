from django.urls import path

from dixian.exports import views

urlpatterns = [
    path("exports/households.xlsx", views.households_xlsx, name="export_households_xlsx"),
    path("exports/households.csv", views.households_csv, name="export_households_csv"),
    path("exports/jobs/<int:pk>/", views.export_job, name="export_job"),
    path("exports/jobs/<int:pk>/download/", views.export_job_download, name="export_job_download"),
]
