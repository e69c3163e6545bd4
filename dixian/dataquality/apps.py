from django.apps import AppConfig


class DataqualityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dixian.dataquality"
    verbose_name = "疑点数据核查"
