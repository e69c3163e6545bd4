from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "dixian.monitoring"
    label = "monitoring"
    verbose_name = "防止返贫监测"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dixian.core import generations
        from dixian.monitoring import models
        from dixian.registry.models import Household, HouseholdIncome, Pairing, Person

        # What cached figures are computed from: the monitoring dashboard, and the household
        # list's counts (which filter on members, incomes and cases too).
        receiver = generations.bump_on_change(generations.MONITORING)
        self._generation_receiver = receiver  # signals hold receivers weakly
        for model in (
            models.MonitoringCase,
            models.CaseRisk,
            models.Review,
            models.EliminationCase,
            models.ScreeningWarning,
            Household,
            Person,
            HouseholdIncome,
            Pairing,  # a cadre's scope
        ):
            post_save.connect(receiver, sender=model, dispatch_uid=f"generation-{model._meta.label}-save")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"generation-{model._meta.label}-delete")
