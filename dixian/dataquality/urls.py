from django.urls import path

from dixian.dataquality import views

urlpatterns = [
    path("dataquality/", views.overview, name="dataquality_overview"),
    path("dataquality/export.xlsx", views.export, name="dataquality_export"),
    path("dataquality/<str:code>/", views.check_detail, name="dataquality_check"),
]
