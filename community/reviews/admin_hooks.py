"""The reviews' menu in the Wagtail admin (imported from ReviewsConfig.ready(): the questions
admin of the review-requests work may add its own wagtail_hooks.py beside it). Only moderators
see it or open its views (admin_views.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views
from .permissions import can_moderate_review


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate_review(request.user)


class ReviewAdminViewSet(ViewSet):
    name = "review_admin"
    url_prefix = "reviews"
    icon = "pick"
    menu_label = _("Reviews")
    menu_name = "reviews"
    menu_order = 250
    menu_item_class = ModeratorMenuItem
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", admin_views.ReviewListView.as_view(), name="index"),
            path("<int:pk>/", admin_views.ReviewDetailView.as_view(), name="detail"),
            path("<int:pk>/act/", admin_views.ReviewActView.as_view(), name="act"),
            path("rejections/", admin_views.RejectionsReportView.as_view(), name="rejections"),
        ]


@hooks.register("register_admin_viewset")
def register_review_admin():
    return ReviewAdminViewSet()
