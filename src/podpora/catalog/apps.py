from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "podpora.catalog"
    label = "catalog"
