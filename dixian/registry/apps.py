from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "dixian.registry"
    label = "registry"
    verbose_name = "农户档案"
