"""The lifecycle pages of the Wagtail admin: surveys (NPS per month, CSAT average, comments beside
their order), the follow-up queue of unhappy answers, and the preview and test send of the e-mails.
Every view checks its permission first (permissions.py); writes are POST with CSRF."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.ratelimit import window_hit

from . import selectors
from .kinds import PLACEHOLDERS, Kind
from .models import COMMENT_MAX, Survey
from .permissions import check_follow_up, check_preview_texts, check_view_surveys
from .preview import preview_message
from .surveys import PK_MAX, survey_follow_up

PER_PAGE = 50
TEST_SENDS_PER_HOUR = 20


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    check = None
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        type(self).check(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class SurveysView(AdminPage):
    template_name = "lifecycle/admin/surveys.html"
    page_title = gettext_lazy("Surveys")
    check = staticmethod(check_view_surveys)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = WagtailPaginator(selectors.survey_comments(), PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(months=selectors.nps_by_month(), csat=selectors.csat_summary(), comments=list(page.object_list),
                       page_obj=page, elided_page_range=paginator.get_elided_page_range(page.number),
                       waiting=Survey.objects.filter(follow_up=Survey.FollowUp.NEW).count())
        return context


class FollowUpListView(AdminPage):
    template_name = "lifecycle/admin/follow_up_list.html"
    page_title = gettext_lazy("Unhappy answers to follow up")
    check = staticmethod(check_view_surveys)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", Survey.FollowUp.NEW)
        if state not in (Survey.FollowUp.NEW, Survey.FollowUp.CONTACTED, Survey.FollowUp.RESOLVED, "all"):
            state = Survey.FollowUp.NEW
        paginator = WagtailPaginator(selectors.follow_up_queue("" if state == "all" else state), PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(rows=list(page.object_list), page_obj=page, state=state,
                       states=[(Survey.FollowUp.NEW, _("To contact")), (Survey.FollowUp.CONTACTED, _("Contacted")),
                               (Survey.FollowUp.RESOLVED, _("Resolved")), ("all", _("All"))],
                       elided_page_range=paginator.get_elided_page_range(page.number))
        return context


class FollowUpForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=[
        (Survey.FollowUp.NEW, gettext_lazy("to contact")), (Survey.FollowUp.CONTACTED, gettext_lazy("contacted")),
        (Survey.FollowUp.RESOLVED, gettext_lazy("resolved"))])
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=COMMENT_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=gettext_lazy("What was done, for the colleague who reads it next."))


class FollowUpDetailView(AdminPage):
    template_name = "lifecycle/admin/follow_up_detail.html"
    page_title = gettext_lazy("Unhappy answer")
    check = staticmethod(check_view_surveys)

    def _survey(self):
        pk = self.kwargs["pk"]
        return get_object_or_404(Survey.objects.exclude(follow_up="").select_related("order", "member", "follow_up_by"),
                                 pk=pk if 0 < pk <= PK_MAX else 0)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = self._survey()
        context.update(survey=survey, form=form or FollowUpForm(initial={"state": survey.follow_up,
                                                                         "note": survey.follow_up_note}))
        return context

    def post(self, request, pk):
        check_follow_up(request.user)
        survey = self._survey()
        form = FollowUpForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        survey_follow_up(request.user, survey, form.cleaned_data["state"], form.cleaned_data["note"])
        messages.success(request, _("Saved."))
        return redirect("lifecycle_follow_up:detail", pk=survey.pk)


class PreviewForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("E-mail"), choices=Kind.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    member = forms.CharField(label=gettext_lazy("Member"), max_length=254,
                             help_text=gettext_lazy("Their e-mail address or username: the preview shows their data."))

    def clean_member(self):
        value = self.cleaned_data["member"].strip()
        member = (get_user_model().objects.active().filter(Q(email__iexact=value) | Q(username__iexact=value))
                  .order_by("pk").first())
        if member is None:
            raise forms.ValidationError(_("No active member has this address or username."))
        return member


class PreviewView(AdminPage):
    template_name = "lifecycle/admin/preview.html"
    page_title = gettext_lazy("Preview a lifecycle e-mail")
    check = staticmethod(check_preview_texts)

    def _form(self, data):
        return PreviewForm(data if data.get("member") else None,
                           initial={"kind": Kind.BIRTHDAY, "language": settings.LANGUAGE_CODE,
                                    "member": self.request.user.email})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or self._form(self.request.GET)
        context["form"] = form
        if form.is_bound and form.is_valid():
            message = preview_message(form.cleaned_data["kind"], form.cleaned_data["member"], form.cleaned_data["language"])
            html = message.alternatives[0][0] if message.alternatives else ""
            body = html.split("<body>", 1)[-1].rsplit("</body>", 1)[0]
            # our own rendering (texts.render escapes every editor's text and value; links come from urlize)
            context.update(message=message, body_html=mark_safe(body),  # noqa: S308
                           placeholders=PLACEHOLDERS[form.cleaned_data["kind"]])
        return context

    def post(self, request):
        """Send the preview to the editor's own address."""
        form = self._form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if not request.user.email:
            messages.error(request, _("Your account has no e-mail address to send the test to."))
        elif not window_hit(f"lifecycle:testsend:{request.user.pk}", TEST_SENDS_PER_HOUR, 3600):
            messages.error(request, _("Too many test e-mails in an hour. Try again later."))
        else:
            message = preview_message(form.cleaned_data["kind"], form.cleaned_data["member"], form.cleaned_data["language"])
            message.to = [request.user.email]
            message.subject = _("[Test] %(subject)s") % {"subject": message.subject}
            message.send()
            messages.success(request, _("The test e-mail is on its way to %(address)s.") % {"address": request.user.email})
        return self.render_to_response(self.get_context_data(form=form))
