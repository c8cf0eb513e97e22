from django import template
from django.utils import translation

from content.selectors import menu_items

register = template.Library()


@register.inclusion_tag("content/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    items = menu_items(request, translation.get_language()) if request is not None else []
    return {"items": items, "current_path": request.path if request is not None else ""}
