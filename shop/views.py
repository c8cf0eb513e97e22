from django.shortcuts import render

from core.jsonld import breadcrumb_list, json_ld
from core.pagination import paginate

from .cache import page_shows_product, page_shows_product_lists
from .jsonld import product_node
from .selectors import product_breadcrumbs, product_get_visible, products_visible

PRODUCTS_PER_PAGE = 24


def product_list(request):
    page_shows_product_lists(request)
    page_obj = paginate(products_visible(), request.GET.get("page"), PRODUCTS_PER_PAGE)
    return render(request, "shop/product_list.html", {"page_obj": page_obj})


def product_detail(request, slug):
    product = product_get_visible(slug)
    page_shows_product(request, product.pk)
    social = {"title": product.name, "description": product.description, "image": product.image, "type": "product"}
    breadcrumbs = product_breadcrumbs(product)
    return render(request, "shop/product_detail.html", {
        "product": product, "social": social, "breadcrumbs": breadcrumbs,
        "json_ld": json_ld(breadcrumb_list(breadcrumbs, request)),
        # The Product node, rendered by the template (apps add to it, e.g. the reviews' rating).
        "product_ld": product_node(product, request),
    })
