from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "dixian.employment"
    label = "employment"
    verbose_name = "产业就业帮扶"
