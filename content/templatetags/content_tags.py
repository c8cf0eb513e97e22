import re

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from content.selectors import menu_items

register = template.Library()


@register.inclusion_tag("content/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    items = menu_items(request, translation.get_language()) if request is not None else []
    path = request.path if request is not None else ""
    forum_url = reverse("forum:index")
    shop_url = reverse("shop:product_list")
    posts_url = reverse("posts:wall")
    return {
        "items": items, "current_path": path,
        "forum_url": forum_url, "in_forum": path.startswith(forum_url),
        "shop_url": shop_url, "in_shop": path.startswith(shop_url),
        "posts_url": posts_url, "in_posts": path.startswith(posts_url) or path.startswith(posts_url.replace("posts/", "tags/")),
    }


@register.filter
def highlight(text, query):
    """Escape `text` and wrap each word of `query` found in it (any case, any script) in <mark>."""
    words = sorted({w for w in str(query).split() if len(w) > 1}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
    parts = pattern.split(str(text))
    # split() with one group alternates: outside, match, outside, match, ...
    return mark_safe("".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(parts)))  # noqa: S308


@register.filter
def present(items):
    """The items that are there: a chooser leaves None where a chosen object is gone or hidden."""
    return [item for item in items or () if item is not None]


@register.inclusion_tag("content/includes/product_lookbooks.html", takes_context=True)
def product_lookbooks(context, product, limit=3):
    """The published lookbooks that show a product, newest first (one query with their covers).
    Publishing, unpublishing or deleting one moves the product's scope (content.lookbook_index)."""
    from content.selectors import lookbooks_featuring

    return {"lookbooks": lookbooks_featuring(product, limit), "product": product}
