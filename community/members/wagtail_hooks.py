"""The members app in the Wagtail admin: Settings > Social log-in, where editors turn on a
provider by entering its keys (community.members.social)."""

from allauth.socialaccount.models import SocialApp
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .social import SocialAppForm


class SocialAppViewSet(ModelViewSet):
    model = SocialApp
    form_class = SocialAppForm
    icon = "key"
    menu_label = _("Social log-in")
    name = "social_login"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None
    list_display = ["name", "provider", "client_id"]

    def get_form_class(self, for_update=False):
        return SocialAppForm


@hooks.register("register_admin_viewset")
def register_social_app_viewset():
    return SocialAppViewSet()
