"""The review questions in the Wagtail admin (Settings → Review questions): editors set, per
product type, what reviews of that type ask ("Fit: runs small … runs large", "Would you recommend
it?"). The product's type is edited with the product (Shop → Products) or comes from the shop.
Who may edit them: staff with the reviews' "review question" permissions (Settings → Groups)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.viewsets.model import ModelViewSet

from .models import ReviewAttribute


class ReviewAttributeViewSet(ModelViewSet):
    model = ReviewAttribute
    icon = "help"
    menu_label = _("Review questions")
    add_to_settings_menu = True
    list_display = ["label", "product_type", "code", "kind", "position"]
    list_filter = ["product_type", "kind"]
    search_fields = ["label", "product_type", "code"]
    search_backend_name = None
    copy_view_enabled = True
    ordering = ["product_type", "position", "pk"]
    panels = [
        FieldRowPanel([FieldPanel("product_type"), FieldPanel("code")]),
        FieldPanel("label"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("low_label"), FieldPanel("high_label")]),
        FieldPanel("position"),
    ]


review_attribute_viewset = ReviewAttributeViewSet("review_questions")


@hooks.register("register_admin_viewset")
def register_review_questions():
    return review_attribute_viewset
