from django.apps import AppConfig


class IncomeConfig(AppConfig):
    name = "dixian.income"
    label = "income"
    verbose_name = "脱贫人口增收"
