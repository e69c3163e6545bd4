from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "dixian.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from dixian.accounts.signals import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="dixian_role_groups")
