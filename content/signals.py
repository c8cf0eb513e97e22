"""Move the content's scopes (content.cache) on every change anonymous visitors could see."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from modelcluster.fields import ParentalKey
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core.versions import version_bump

from .cache import BRAND_VERSION_KEY, content_changed, pages_changed


def _changed(sender, **kwargs):
    content_changed()


def _brand_changed(sender, **kwargs):
    version_bump(BRAND_VERSION_KEY, on_commit=False)


def _page_pk(instance):
    """The page a saved row belongs to: the page itself, or the page a row saved with it (a tag, an
    author) hangs from by its ParentalKey. None when there is no such page."""
    if isinstance(instance, Page):
        return instance.pk
    for field in instance._meta.get_fields():
        if isinstance(field, ParentalKey) and issubclass(field.related_model, Page):
            return getattr(instance, field.attname, None)
    if getattr(instance, "page_index", False):  # an index row kept for a page (content.LookbookProduct)
        return getattr(instance, "page_id", None)
    return None


def _page_changed(sender, instance=None, **kwargs):
    page_pk = _page_pk(instance) if instance is not None else None
    pages_changed(page_pk)
    if instance is not None and page_pk is None:
        content_changed()  # a page's row that names no page: every page may show it


def _lookbook_published(sender, instance, **kwargs):
    from .lookbook_index import lookbook_index

    lookbook_index(instance)


def _lookbook_unpublished(sender, instance, **kwargs):
    from .lookbook_index import lookbook_unindex

    lookbook_unindex(instance)


def _help_changed(sender, **kwargs):
    from core.pagecache import scopes_changed

    from .cache import HELP_SCOPE

    scopes_changed(HELP_SCOPE)


def _lookbook_link_deleted(sender, instance, **kwargs):
    """A lookbook deleted takes its rows with it: its products' pages stop listing it."""
    from shop.cache import product_changed

    product_changed(instance.product_id)


def _page_data(model):
    """A page, or rows saved with a page (its tags, authors: modelcluster children of a page)."""
    return issubclass(model, Page) or getattr(model, "page_index", False) or any(
        isinstance(field, ParentalKey) and issubclass(field.related_model, Page) for field in model._meta.get_fields())


def connect():
    # A publish or a save changes pages (and the menu only if it changes what the menu shows);
    # taking a page away or moving it changes the site's structure, which every page shows.
    page_published.connect(_page_changed, dispatch_uid="content-pages-published")
    lookbook = apps.get_model("content", "LookbookPage")
    page_published.connect(_lookbook_published, sender=lookbook, dispatch_uid="content-lookbook-index-published")
    page_unpublished.connect(_lookbook_unpublished, sender=lookbook, dispatch_uid="content-lookbook-index-unpublished")
    for model in (apps.get_model("content", "HelpIndexPage"), apps.get_model("content", "HelpPage")):
        post_save.connect(_help_changed, sender=model, dispatch_uid=f"content-help-save-{model._meta.label}")
        post_delete.connect(_help_changed, sender=model, dispatch_uid=f"content-help-delete-{model._meta.label}")
    post_delete.connect(_lookbook_link_deleted, sender=apps.get_model("content", "LookbookProduct"),
                        dispatch_uid="content-lookbook-index-deleted")
    for signal in (page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_changed, dispatch_uid=f"content-version-{signal!r}")
    watched = [
        *(model for model in apps.get_app_config("content").get_models() if not _page_data(model)),
        apps.get_model("wagtailcore", "Site"),
        apps.get_model("wagtailcore", "PageViewRestriction"),
        apps.get_model("wagtailimages", "Image"),
        apps.get_model("core", "ImageAltText"),  # an image's alt text in another language
        apps.get_model("shop", "Product"),
    ]
    for model in watched:
        post_save.connect(_changed, sender=model, dispatch_uid=f"content-version-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"content-version-delete-{model._meta.label}")
    for model in (apps.get_model("content", "BrandSettings"), apps.get_model("wagtailcore", "Site"),
                  apps.get_model("wagtailimages", "Image")):
        post_save.connect(_brand_changed, sender=model, dispatch_uid=f"content-brand-save-{model._meta.label}")
        post_delete.connect(_brand_changed, sender=model, dispatch_uid=f"content-brand-delete-{model._meta.label}")
    pages = [apps.get_model("wagtailcore", "Page"),
             *(model for model in apps.get_app_config("content").get_models() if _page_data(model))]
    for model in pages:
        post_save.connect(_page_changed, sender=model, dispatch_uid=f"content-pages-save-{model._meta.label}")
        # A page deleted is gone from the structure (and maybe the menu); a tag or an author taken
        # off a page when it is published changes that page only.
        on_delete = _changed if issubclass(model, Page) else _page_changed
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"content-version-delete-{model._meta.label}")
