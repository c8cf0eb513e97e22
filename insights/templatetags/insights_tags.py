from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value, digits=1):
    """0.4567 -> "45.7 %" in the active language's number format; None -> "–"."""
    if value is None or value == "":
        return "–"
    return f"{number_format(float(value) * 100, int(digits))} %"
