from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.jsonld import breadcrumb_list, json_ld
from core.pagination import paginate

from .cache import page_shows_product, page_shows_product_lists
from .jsonld import product_node
from .selectors import (
    product_breadcrumbs,
    product_gallery,
    product_get_visible,
    product_options,
    product_types,
    products_filtered,
    products_related,
)

PRODUCTS_PER_PAGE = 24


class ProductFilterForm(forms.Form):
    """The product list's filters and sort, from the query string: anything invalid is ignored,
    never an error page."""

    type = forms.ChoiceField(label=_("Category"), required=False)
    size = forms.ChoiceField(label=_("Size"), required=False)
    colour = forms.ChoiceField(label=_("Colour"), required=False)
    price_min = forms.DecimalField(label=_("Price from"), required=False, min_value=0, max_digits=12, decimal_places=2)
    price_max = forms.DecimalField(label=_("Price up to"), required=False, min_value=0, max_digits=12, decimal_places=2)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("name", _("Name")), ("price", _("Price, low to high")), ("-price", _("Price, high to low")), ("new", _("Newest")),
    ])

    def __init__(self, *args, types=(), sizes=(), colours=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All"))] + [(t, t) for t in types]
        self.fields["size"].choices = [("", _("Any size"))] + [(s, s) for s in sizes]
        self.fields["colour"].choices = [("", _("Any colour"))] + [(c, c) for c in colours]
        for name, options in (("size", sizes), ("colour", colours)):
            if not options:  # nothing to choose from: no empty control
                del self.fields[name]


def product_list(request):
    page_shows_product_lists(request)
    sizes, colours = product_options()
    form = ProductFilterForm(request.GET or None, types=product_types(), sizes=sizes, colours=colours)
    chosen = {}
    if form.is_bound:
        form.is_valid()
        chosen = {name: value for name, value in getattr(form, "cleaned_data", {}).items() if name not in form.errors}
    products = products_filtered(product_type=chosen.get("type") or "", price_min=chosen.get("price_min"),
                                 price_max=chosen.get("price_max"), sort=chosen.get("sort") or "name",
                                 size=chosen.get("size") or "", colour=chosen.get("colour") or "")
    page_obj = paginate(products, request.GET.get("page"), PRODUCTS_PER_PAGE)
    return render(request, "shop/product_list.html", {"page_obj": page_obj, "filter_form": form})


def product_detail(request, slug):
    product = product_get_visible(slug)
    page_shows_product(request, product.pk)
    social = {"title": product.name, "description": product.description, "image": product.image, "type": "product"}
    breadcrumbs = product_breadcrumbs(product)
    return render(request, "shop/product_detail.html", {
        "product": product, "social": social, "breadcrumbs": breadcrumbs,
        "gallery": product_gallery(product), "related": products_related(product),
        "json_ld": json_ld(breadcrumb_list(breadcrumbs, request)),
        # The Product node, rendered by the template (apps add to it, e.g. the reviews' rating).
        "product_ld": product_node(product, request),
    })
