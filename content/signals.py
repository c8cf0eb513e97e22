"""Move the content version (content.cache) on every change anonymous visitors could see."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .cache import content_changed


def _changed(sender, **kwargs):
    content_changed()


def connect():
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_changed, dispatch_uid=f"content-version-{signal!r}")
    watched = [
        *apps.get_app_config("content").get_models(),  # pages and snippets of ours
        apps.get_model("wagtailcore", "Page"),
        apps.get_model("wagtailcore", "Site"),
        apps.get_model("wagtailimages", "Image"),
        apps.get_model("shop", "Product"),
    ]
    for model in watched:
        post_save.connect(_changed, sender=model, dispatch_uid=f"content-version-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"content-version-delete-{model._meta.label}")
