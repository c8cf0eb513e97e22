"""Subscribers in the Wagtail admin: a read-only list to filter, search, inspect and export.
Consent is changed only by the subscriber, through the signed links."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.permissions import register_permission_policy

from core.wagtail_admin import ReadOnlyPolicy, ReadOnlyViewSet

from .models import Subscriber
from .permissions import can_view_subscribers


class SubscriberPolicy(ReadOnlyPolicy):
    """Read-only, and only for staff: an editor account without is_staff sees nothing here."""

    def user_has_permission(self, user, action):
        return action == "view" and can_view_subscribers(user)


register_permission_policy(Subscriber, SubscriberPolicy(Subscriber), exact_class=True)


class SubscriberViewSet(ReadOnlyViewSet):
    model = Subscriber
    name = "newsletter_subscriber"
    icon = "mail"
    menu_label = _("Newsletter")
    menu_order = 350
    add_to_admin_menu = True
    list_display = [
        "email", "status", "language", "consent_source",
        DateColumn("consent_at", label=_("Consent given")), DateColumn("confirmed_at", label=_("Confirmed")),
    ]
    list_filter = ["status", "language", "consent_source"]
    search_fields = ["email"]
    list_export = ["email", "status", "language", "consent_at", "consent_source", "confirmed_at"]
    export_filename = "newsletter-subscribers"
    inspect_view_fields = [
        "email", "status", "language", "consent_source", "consent_version", "consent_text", "consent_at",
        "confirmed_at", "unsubscribed_at", "created_at", "events",
    ]


@hooks.register("register_admin_viewset")
def register_newsletter_viewset():
    return SubscriberViewSet()
