from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import render

from .selectors import product_get_visible, products_visible

PRODUCTS_PER_PAGE = 24


def product_list(request):
    paginator = Paginator(products_visible(), PRODUCTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        raise Http404 from None
    return render(request, "shop/product_list.html", {"page_obj": page_obj})


def product_detail(request, slug):
    product = product_get_visible(slug)
    social = {"title": product.name, "description": product.description, "image": product.image, "type": "product"}
    return render(request, "shop/product_detail.html", {"product": product, "social": social})
