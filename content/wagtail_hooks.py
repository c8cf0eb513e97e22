from wagtail import hooks

from .cache import page_shows_pages


@hooks.register("before_serve_page")
def pages_scope(page, request, serve_args, serve_kwargs):
    """Every Wagtail page is kept under the pages' scope (content.cache) besides the content version."""
    page_shows_pages(request)
