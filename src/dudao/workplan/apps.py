from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    name = "dudao.workplan"
    verbose_name = "重点工作督办"
