from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("content/includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The site root's live children marked "show in menus", in the visitor's language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        root = site.root_page.localized
        items = root.get_children().live().public().in_menu().specific(defer=True)
    return {"items": items, "request": request}
