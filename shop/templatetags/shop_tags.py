from babel.numbers import format_currency
from django import template
from django.utils import translation

register = template.Library()


@register.filter
def money(value, currency):
    """12.5|money:"EUR" -> "€12.50" in English, "12,50 €" in Greek, in the visitor's language."""
    if value is None:
        return ""
    locale = (translation.get_language() or "en").replace("-", "_")
    return format_currency(value, currency, locale=locale)
