"""The schema.org Product node of a product page. Other apps add to it (reviews add aggregateRating
and review entries, through their template tag), so a page carries ONE Product node, known by its
@id."""

from core.absolute import absolute_url


def product_id(product, request=None):
    return f"{absolute_url(product.get_absolute_url(), request)}#product"


def product_node(product, request=None):
    node = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": product_id(product, request),
        "name": product.name,
        "sku": product.sku,
        "url": absolute_url(product.get_absolute_url(), request),
    }
    if product.description:
        node["description"] = product.description[:5000]
    if product.image_id and hasattr(product.image, "file"):
        try:
            node["image"] = absolute_url(product.image.file.url, request)
        except ValueError:
            pass
    node["offers"] = {
        "@type": "Offer", "price": str(product.price), "priceCurrency": product.currency,
        "availability": "https://schema.org/InStock" if product.active else "https://schema.org/Discontinued",
        **({"url": product.shop_url} if product.shop_url else {}),
    }
    return node
