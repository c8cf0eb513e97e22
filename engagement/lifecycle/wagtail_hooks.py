"""One "Lifecycle" menu in the Wagtail admin: the e-mail texts editors write per kind and language,
their preview with a member's data and test send, the send log (read-only), the surveys' figures and
comments, and the follow-up queue of unhappy answers. Each item shows only to staff with its
permission (permissions.py; the models' permissions in Settings → Groups)."""

from django.urls import path
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.wagtail_admin import ReadOnlyPolicy, ReadOnlyViewSet

from . import admin_views
from .kinds import PLACEHOLDERS, Kind
from .models import EmailText, SendLog
from .permissions import can_preview_texts, can_view_surveys

register_permission_policy(SendLog, ReadOnlyPolicy(SendLog), exact_class=True)


def placeholder_help():
    return format_html_join("", "<p><strong>{}</strong>: {}</p>", (
        (label, ", ".join(f"{{{name}}}" for name in PLACEHOLDERS[code])) for code, label in Kind.choices))


class EmailTextViewSet(ModelViewSet):
    model = EmailText
    name = "lifecycle_texts"
    url_prefix = "lifecycle/texts"
    icon = "mail"
    menu_label = _("E-mail texts")
    list_display = ["kind", "language", "subject", DateColumn("updated_at", label=_("Changed"))]
    list_filter = ["kind", "language"]
    search_fields = ["subject", "body"]
    search_backend_name = None
    ordering = ["kind", "language"]
    copy_view_enabled = True

    @property
    def panels(self):
        return [
            FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
            FieldPanel("subject"),
            FieldPanel("body"),
            HelpPanel(heading=_("Placeholders"), content=placeholder_help()),
        ]


class SendLogViewSet(ReadOnlyViewSet):
    model = SendLog
    name = "lifecycle_sends"
    url_prefix = "lifecycle/sent"
    icon = "list-ul"
    menu_label = _("E-mails sent")
    list_display = ["member", "kind", "event_key", DateColumn("sent_at", label=_("Sent"))]
    list_filter = ["kind", "sent_at"]
    search_fields = ["member__username", "member__email", "event_key"]
    list_select_related = ["member"]
    inspect_view_fields = ["member", "kind", "event_key", "sent_at"]


class PreviewMenuItem(MenuItem):
    def is_shown(self, request):
        return can_preview_texts(request.user)


class SurveysMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_surveys(request.user)


class PreviewViewSet(ViewSet):
    name = "lifecycle_preview"
    url_prefix = "lifecycle/preview"
    icon = "view"
    menu_label = _("Preview and test send")
    menu_name = "lifecycle-preview"
    menu_item_class = PreviewMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.PreviewView.as_view(), name="index")]


class SurveysViewSet(ViewSet):
    name = "lifecycle_surveys"
    url_prefix = "lifecycle/surveys"
    icon = "doc-full"
    menu_label = _("Surveys")
    menu_name = "lifecycle-surveys"
    menu_item_class = SurveysMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.SurveysView.as_view(), name="index")]


class FollowUpViewSet(ViewSet):
    name = "lifecycle_follow_up"
    url_prefix = "lifecycle/follow-up"
    icon = "warning"
    menu_label = _("Follow-up queue")
    menu_name = "lifecycle-follow-up"
    menu_item_class = SurveysMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.FollowUpListView.as_view(), name="index"),
            path("<int:pk>/", admin_views.FollowUpDetailView.as_view(), name="detail"),
        ]


class LifecycleGroup(ViewSetGroup):
    menu_label = _("Lifecycle")
    menu_icon = "mail"
    menu_name = "lifecycle"
    menu_order = 270
    items = (EmailTextViewSet, PreviewViewSet, SendLogViewSet, SurveysViewSet, FollowUpViewSet)


@hooks.register("register_admin_viewset")
def register_lifecycle():
    return LifecycleGroup()
