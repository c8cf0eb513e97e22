"""Photo posts in the Wagtail admin: hashtag campaigns (a "Campaigns" snippet in its own menu
item), edited by staff with the campaign model permissions (superusers, or a group given them in
Settings → Groups). The hashtag is typed as text: its key finds the Hashtag, or a new one is
made (community.posts.campaigns.campaign_hashtag)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .campaigns import campaign_hashtag
from .models import HASHTAG_MAX, Campaign


class CampaignForm(WagtailAdminModelForm):
    hashtag_name = forms.CharField(
        label=_("hashtag"), max_length=HASHTAG_MAX + 1,
        help_text=_("With or without the #, for example #sommerlook or #καλοκαίρι. Posts under it published "
                    "between the start and the end are the campaign's entries."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.hashtag_id and not self.is_bound:
            self.initial["hashtag_name"] = f"#{self.instance.hashtag.name}"

    def clean_hashtag_name(self):
        text = self.cleaned_data["hashtag_name"]
        from .hashtags import hashtags_validate

        written = text.strip() if text.strip().startswith("#") else f"#{text.strip()}"
        try:
            pairs = hashtags_validate(written)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        if len(pairs) != 1 or f"#{pairs[0][0]}" != written:
            raise ValidationError(_("Type one hashtag: letters, digits and _ only, for example #sommerlook or #καλοκαίρι."))
        return written

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned

    def save(self, commit=True):
        # Only now, once the whole form is valid, is a new hashtag made.
        self.instance.hashtag = campaign_hashtag(self.cleaned_data["hashtag_name"])
        return super().save(commit=commit)


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    menu_label = _("Campaigns")
    menu_name = "posts-campaigns"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["title", "hashtag", "starts_at", "ends_at"]
    list_filter = ["starts_at"]
    search_fields = ["title", "description"]
    ordering = ["-starts_at"]
    edit_handler = ObjectList([
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("hashtag_name"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("hero_image"),
        FieldPanel("description"),
        FieldPanel("prize_text"),
    ], base_form_class=CampaignForm)

    def get_queryset(self, request):
        return Campaign.objects.select_related("hashtag")


register_snippet(CampaignViewSet)
