from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "dudao.inspection"
    verbose_name = "督查与整改"
