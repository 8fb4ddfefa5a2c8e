from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "dudao.collection"
    verbose_name = "数据填报"
