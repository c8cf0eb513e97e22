"""The shop in the Wagtail admin: editors manage products; orders, webhook deliveries and outbound
deliveries (events sent to the shop) are read-only records to browse, filter and inspect, and a
failed delivery of either direction can be retried."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from core.wagtail_admin import ReadOnlyPolicy, ReadOnlyViewSet

from .choosers import product_chooser_viewset
from .models import Order, OutboundDelivery, Product, WebhookDelivery
from .outbound import outbound_retry
from .permissions import can_retry_delivery, can_retry_outbound
from .services import delivery_retry

register_permission_policy(Order, ReadOnlyPolicy(Order), exact_class=True)
register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery), exact_class=True)
register_permission_policy(OutboundDelivery, ReadOnlyPolicy(OutboundDelivery), exact_class=True)


class ProductViewSet(ModelViewSet):
    model = Product
    icon = "tag"
    menu_label = _("Products")
    list_display = ["name", "sku", "product_type", Column("price", label=_("Price")), "currency",
                    BooleanColumn("active", label=_("Active"))]
    list_filter = ["active", "currency", "product_type"]
    search_fields = ["name", "sku", "description", "product_type"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("sku"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("price"), FieldPanel("currency")]),
        FieldPanel("shop_url"),
        FieldPanel("image"),
        InlinePanel("gallery_images", label=_("More pictures"), max_num=8,
                    help_text=_("Shown after the main image in the product page's gallery.")),
        FieldPanel("product_type"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("sizes"), FieldPanel("colours")]),
            FieldPanel("materials"),
            FieldPanel("care_guide"),
        ], heading=_("Sizes, materials and care")),
        FieldPanel("active"),
    ]


class OrderViewSet(ReadOnlyViewSet):
    model = Order
    icon = "list-ul"
    menu_label = _("Orders")
    list_display = [
        "__str__", "email", "member", "status", Column("total", label=_("Total")), "currency",
        DateColumn("placed_at", label=_("Placed")),
    ]
    list_filter = ["status", "source", "currency", "placed_at"]
    search_fields = ["external_id", "email"]
    inspect_view_fields = [
        "source", "external_id", "email", "member", "status", "currency", "subtotal", "discount_total", "total",
        "refunded_total", "discount_codes", "placed_at", "paid_at", "cancelled_at", "lines", "refunds",
    ]

    list_select_related = ["member"]


class DeliveryInspectView(InspectView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.state != WebhookDelivery.State.PROCESSED and can_retry_delivery(self.request.user):
            url = reverse("shop_webhookdelivery:retry", args=[self.object.pk])
            buttons.append(Button(_("Retry"), url=url, icon_name="rotate"))
        return buttons


class _RetryView(WagtailAdminTemplateMixin, TemplateView):
    """A confirmation page for one row (GET) and the action itself (POST, in the subclass): the
    permission `can_retry(user)` checked first, the row looked up in `model`, a link back to
    `inspect_route`."""

    header_icon = "rotate"
    model = None
    inspect_route = ""

    @staticmethod
    def can_retry(user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.can_retry(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["inspect_url"] = reverse(self.inspect_route, args=[self.object.pk])
        return context


class DeliveryRetryView(_RetryView):
    """GET asks for confirmation; POST runs the delivery again and reports how it went."""

    template_name = "shop/admin/delivery_retry.html"
    page_title = _("Retry delivery")
    model = WebhookDelivery
    inspect_route = "shop_webhookdelivery:inspect"
    can_retry = staticmethod(can_retry_delivery)

    def post(self, request, *args, **kwargs):
        delivery = delivery_retry(self.object)
        if delivery.state == WebhookDelivery.State.PROCESSED:
            messages.success(request, _("The delivery was processed."))
        else:
            messages.error(request, _("The delivery failed again: %(error)s") % {"error": delivery.error})
        return redirect("shop_webhookdelivery:inspect", delivery.pk)


class DeliveryViewSet(ReadOnlyViewSet):
    model = WebhookDelivery
    name = "shop_webhookdelivery"
    icon = "download"
    menu_label = _("Webhook deliveries")
    list_display = [
        "delivery_id", "source", "topic", "state", "attempts", DateColumn("received_at", label=_("Received")), "error",
    ]
    list_filter = ["state", "source", "topic", "received_at"]
    search_fields = ["delivery_id", "order_ref", "error"]
    inspect_view_class = DeliveryInspectView
    inspect_view_fields = ["source", "delivery_id", "topic", "order_ref", "state", "attempts", "error", "received_at",
                           "processed_at", "payload"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("retry/<int:pk>/", DeliveryRetryView.as_view(), name="retry")]


class OutboundInspectView(InspectView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.state != OutboundDelivery.State.SENT and can_retry_outbound(self.request.user):
            url = reverse("shop_outbounddelivery:retry", args=[self.object.pk])
            buttons.append(Button(_("Retry now"), url=url, icon_name="rotate"))
        return buttons


class OutboundRetryView(_RetryView):
    """GET asks for confirmation; POST sends the delivery now (shop.outbound.outbound_retry)."""

    template_name = "shop/admin/outbound_retry.html"
    page_title = _("Send to the shop now")
    model = OutboundDelivery
    inspect_route = "shop_outbounddelivery:inspect"
    can_retry = staticmethod(can_retry_outbound)

    def post(self, request, *args, **kwargs):
        delivery = outbound_retry(self.object)
        if delivery is None:
            self.object.refresh_from_db()
            if self.object.state == OutboundDelivery.State.SENT:
                messages.info(request, _("The shop already has it: nothing was sent again."))
            else:
                messages.error(request, _("Not sent: %(error)s") % {"error": self.object.last_error})
        elif delivery.state == OutboundDelivery.State.SENT:
            messages.success(request, _("The shop accepted it."))
        else:
            messages.error(request, _("The shop did not accept it: %(error)s") % {"error": delivery.last_error})
        return redirect("shop_outbounddelivery:inspect", self.object.pk)


class OutboundViewSet(ReadOnlyViewSet):
    model = OutboundDelivery
    name = "shop_outbounddelivery"
    icon = "upload"
    menu_label = _("Sent to the shop")
    list_display = [
        "event", "idempotency_key", "state", "attempts", "last_status",
        DateColumn("next_attempt_at", label=_("Next attempt")), DateColumn("created_at", label=_("Created")),
        "last_error",
    ]
    list_filter = ["state", "event", "created_at"]
    search_fields = ["idempotency_key", "last_error"]
    inspect_view_class = OutboundInspectView
    inspect_view_fields = ["event", "idempotency_key", "state", "attempts", "last_status", "last_error",
                           "next_attempt_at", "created_at", "sent_at", "payload"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("retry/<int:pk>/", OutboundRetryView.as_view(), name="retry")]


class ShopGroup(ModelViewSetGroup):
    menu_label = _("Shop")
    menu_icon = "tag"
    menu_order = 300
    items = (ProductViewSet("shop_product"), OrderViewSet("shop_order"), DeliveryViewSet(), OutboundViewSet())


@hooks.register("register_admin_viewset")
def register_shop_viewsets():
    return ShopGroup()


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset
