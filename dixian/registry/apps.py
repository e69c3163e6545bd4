from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "dixian.registry"
    label = "registry"
    verbose_name = "农户档案"

    def ready(self) -> None:
        from dixian.core import generations
        from dixian.registry import models

        # Cached figures (household list, dashboard) are computed from these; a pairing is
        # a cadre's scope.
        generations.track(
            generations.MONITORING, models.Household, models.Person, models.HouseholdIncome, models.Pairing
        )
