"""A chooser for products in the Wagtail admin, so pages (a lookbook's "shop the look") can link
products: a modal with search, and a StreamField block built from it (`ProductChooserBlock`).
Only active products can be chosen; a product made inactive later is left out when shown."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.blocks import ChooserBlock

from .models import Product


class ProductChooserViewSet(ChooserViewSet):
    model = Product
    icon = "tag"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    edit_item_text = _("Edit this product")
    per_page = 20

    def get_object_list(self):
        return Product.objects.filter(active=True).order_by("name")


class BaseProductChooserBlock(ChooserBlock):
    """Loads every chosen product of a stream in one query, with its picture and renditions."""

    def bulk_to_python(self, values):
        values = list(values)
        ids = [v for v in values if v is not None]
        products = (
            Product.objects.filter(pk__in=ids, active=True)
            .select_related("image")
            .prefetch_related("image__renditions")
            .in_bulk()
        )
        return [products.get(pk) for pk in values]


ProductChooserViewSet.base_block_class = BaseProductChooserBlock
product_chooser_viewset = ProductChooserViewSet("shop_product_chooser", url_prefix="shop/product-chooser")
ProductChooserBlock = product_chooser_viewset.get_block_class(name="ProductChooserBlock", module_path="shop.choosers")
