from django.urls import path

from dixian.imports import views

urlpatterns = [
    path("imports/", views.upload, name="import_upload"),
    path("imports/batches/", views.batch_list, name="import_batch_list"),
    path("imports/batches/<int:pk>/", views.batch_detail, name="import_batch"),
    path("imports/batches/<int:pk>/commit/", views.batch_commit, name="import_commit"),
    path("imports/batches/<int:pk>/rejected.xlsx", views.rejected_rows, name="import_rejected"),
]
