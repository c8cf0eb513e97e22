"""Which products each published lookbook shows ("shop the look"), kept as rows so a product page
finds its lookbooks with one indexed query instead of reading every lookbook's looks."""

from shop.cache import product_changed

from .models import LookbookProduct


def lookbook_product_ids(page):
    """The ids of the products chosen in a lookbook's looks, in order, each once."""
    ids = []
    for block in page.looks:
        if block.block_type != "look":
            continue
        for product in block.value.get("products") or []:
            if product is not None and product.pk not in ids:
                ids.append(product.pk)
    return ids


def lookbook_index(page):
    """Make the lookbook's rows match its published looks; the product pages that gain or lose it
    are told."""
    wanted = set(lookbook_product_ids(page))
    had = set(LookbookProduct.objects.filter(page=page).values_list("product_id", flat=True))
    if wanted != had:
        LookbookProduct.objects.filter(page=page, product_id__in=had - wanted).delete()
        LookbookProduct.objects.bulk_create([LookbookProduct(page=page, product_id=pk) for pk in wanted - had],
                                            ignore_conflicts=True)
    # Its title or cover may have changed too: every product it shows lists it.
    product_changed(*(wanted | had))


def lookbook_unindex(page):
    had = list(LookbookProduct.objects.filter(page=page).values_list("product_id", flat=True))
    LookbookProduct.objects.filter(page=page).delete()
    product_changed(*had)
