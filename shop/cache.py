"""The scopes of the shop's cached pages (core.pagecache).

A product's page is kept under its product's scope, and the product list under PRODUCT_LISTS_SCOPE,
besides the content version every page follows (a product saved by an editor or a webhook still
moves the content version too: pages and blocks of the content show products). What other apps
show on a product's page (reviews, members' photos) moves only that product's scope and, when
the list shows it too (a star average), the lists': `product_changed(product_id, lists=True)`.
"""

from core.pagecache import page_depends, scopes_changed

PRODUCT_LISTS_SCOPE = "shop:products"


def product_scope(product_id):
    return f"shop:product:{product_id}"


def page_shows_product(request, product_id):
    page_depends(request, product_scope(product_id))


def page_shows_product_lists(request):
    page_depends(request, PRODUCT_LISTS_SCOPE)


def product_changed(*product_ids, lists=False):
    scopes = [product_scope(pk) for pk in product_ids if pk]
    if lists:
        scopes.append(PRODUCT_LISTS_SCOPE)
    scopes_changed(*scopes)
