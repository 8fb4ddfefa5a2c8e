from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dudao.orgs"
    verbose_name = "机构与人员"
