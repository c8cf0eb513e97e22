"""The colours of the forum's categories as a stylesheet.

The Content-Security-Policy allows no inline style, so a category's colour (chosen in the admin)
reaches the page as a class, .category-colour-<pk>, that this stylesheet gives its --category colour.
"""

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .. import selectors


@require_GET
@cache_control(public=True, max_age=300)
def category_styles(request):
    rules = "".join(f".category-colour-{pk}{{--category:{colour}}}\n" for pk, colour in selectors.category_colours())
    return HttpResponse(rules, content_type="text/css; charset=utf-8")
