"""schema.org JSON-LD for templates: the <script> element and the breadcrumb list."""

import json

from django.utils.safestring import mark_safe

from .absolute import absolute_url

# json.dumps does not escape what would end a <script> element or start a comment in it; these do
# (the same escapes as Django's json_script, which only writes type="application/json").
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data):
    """A <script type="application/ld+json"> element that no text in `data` can end early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def breadcrumb_list(trail, request=None):
    """The schema.org BreadcrumbList of a trail of (name, url) pairs, first the home page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": str(name), "item": absolute_url(url, request)}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }
