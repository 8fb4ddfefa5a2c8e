from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "dudao.evaluation"
    verbose_name = "评估"
