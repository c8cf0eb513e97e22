from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"

    def ready(self):
        from . import signals
        from .selectors import register_search_types

        signals.connect()
        register_search_types()
