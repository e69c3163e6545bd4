from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "dixian.monitoring"
    label = "monitoring"
    verbose_name = "防止返贫监测"

    def ready(self) -> None:
        from dixian.core import generations
        from dixian.monitoring import models

        # Cached figures (dashboard, household list) are computed from these.
        generations.track(
            generations.MONITORING,
            models.MonitoringCase,
            models.CaseRisk,
            models.Review,
            models.EliminationCase,
            models.ScreeningWarning,
        )
