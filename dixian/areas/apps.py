from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "dixian.areas"
    label = "areas"
    verbose_name = "行政区划"
