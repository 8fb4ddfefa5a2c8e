from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dudao.core"
    verbose_name = "基础"
