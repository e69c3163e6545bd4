from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "dixian.imports"
    verbose_name = "国家系统数据导入"
