"""The forum's moderation in the Wagtail admin: the queue of open reports and posts waiting for
approval (with recently hidden posts to restore), suspensions, and their actions.

Every view asks community.forum.permissions.can_moderate first (Wagtail's admin already asked for
`wagtailadmin.access_admin`); a refusal raises PermissionDenied, which the admin answers with its
"no permission" redirect. Actions are POST only (GET answers 405), write through
community.forum.services (which keeps the moderation log) and redirect back with a message.
Lists are fixed numbers of queries whatever the number of rows."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors, services
from .models import ModerationAction, ModerationLog, Post, Report, Suspension
from .permissions import can_moderate

QUEUE_LIMIT = 100  # rows of each queue section shown at once; the headings give the totals
HIDDEN_LIMIT = 20  # recently hidden posts offered for restoring
SUSPENSIONS_PER_PAGE = 50

QUEUE_URL = "forum_queue:index"
SUSPENSIONS_URL = "forum_suspensions:index"


class ModeratorRequiredMixin:
    """Only forum moderators (active staff) get past dispatch; others get PermissionDenied."""

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ModerationPageMixin(ModeratorRequiredMixin, WagtailAdminTemplateMixin):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


# --- the queue ------------------------------------------------------------------------------

class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False, strip=True)


def _group_reports(reports):
    """Open reports grouped by their post, in the order of each post's oldest report."""
    groups = {}
    for report in reports:
        group = groups.setdefault(report.post_id, {"post": report.post, "reports": []})
        group["reports"].append(report)
    for group in groups.values():
        reasons = dict.fromkeys(str(report.get_reason_display()) for report in group["reports"])
        group["reasons"] = ", ".join(reasons)
    return list(groups.values())


def _hidden_posts():
    """The latest hidden posts (not deleted), with who hid them, when and why: one query."""
    hides = ModerationLog.objects.filter(post=OuterRef("pk"), action=ModerationAction.HIDE_POST).order_by("-created_at")
    return list(
        Post.objects.filter(hidden=True, deleted_at__isnull=True)
        .select_related("topic", "author")
        .annotate(hidden_at=Subquery(hides.values("created_at")[:1]),
                  hidden_by=Subquery(hides.values("actor__username")[:1]),
                  hidden_reason=Subquery(hides.values("detail")[:1]))
        .order_by(F("hidden_at").desc(nulls_last=True), "-pk")[:HIDDEN_LIMIT]
    )


class ModerationQueueView(ModerationPageMixin, TemplateView):
    template_name = "forum/admin/queue.html"
    page_title = _("Forum moderation queue")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Oldest first; a hidden post waiting for approval was turned down and is listed with the
        # hidden ones, not here.
        reports, waiting = selectors.moderation_queue()
        context.update(
            report_count=reports.count(),
            report_groups=_group_reports(reports[:QUEUE_LIMIT]),
            waiting_count=waiting.count(),
            waiting_posts=list(waiting[:QUEUE_LIMIT]),
            hidden_posts=_hidden_posts(),
            queue_limit=QUEUE_LIMIT,
            hidden_limit=HIDDEN_LIMIT,
        )
        return context


class PostActionView(ModeratorRequiredMixin, View):
    """POST /admin/forum_queue/posts/<pk>/<action>/: hide, restore or approve one post."""

    http_method_names = ["post"]
    action = None  # "hide", "restore" or "approve"

    def post(self, request, pk):
        post = get_object_or_404(Post.objects.select_related("topic"), pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The reason can be at most 300 characters."))
            return redirect(QUEUE_URL)
        reason = form.cleaned_data["reason"]
        if self.action == "hide":
            if post.hidden:
                messages.info(request, _("That post was already hidden."))
            else:
                services.post_set_hidden(request.user, post, True, reason)
                messages.success(request, _("The post is hidden and its open reports are closed."))
        elif self.action == "restore":
            if not post.hidden:
                messages.info(request, _("That post is not hidden."))
            else:
                services.post_set_hidden(request.user, post, False, reason)
                messages.success(request, _("The post is shown again."))
        elif self.action == "approve":
            if post.deleted_at:
                messages.error(request, _("That post was deleted by its author, so it cannot be approved."))
            elif post.approved:
                messages.info(request, _("That post was already approved."))
            else:
                services.post_approve(request.user, post)
                messages.success(request, _("The post is approved and shown to everyone."))
        return redirect(QUEUE_URL)


class ReportDismissView(ModeratorRequiredMixin, View):
    """POST /admin/forum_queue/reports/<pk>/dismiss/: close a report, leaving the post as it is."""

    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(Report.objects.select_related("post__topic"), pk=pk)
        if services.report_dismiss(request.user, report):
            messages.success(request, _("The report is dismissed."))
        else:
            messages.info(request, _("That report was already dealt with."))
        return redirect(QUEUE_URL)


# --- suspensions ----------------------------------------------------------------------------

class SuspendForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               help_text=_("The member's username, as in their profile address /members/<username>/."))
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365, initial=7,
                              help_text=_("From 1 to 365. The member can read but not post until it ends."))
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("For the moderation log and other moderators."))

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lstrip("@").lower()
        member = get_user_model().objects.filter(username=username).first()
        if member is None or member.deleted_at:
            raise forms.ValidationError(_("No member has the username “%(username)s”."), code="unknown",
                                        params={"username": username})
        if self.actor is not None and member.pk == self.actor.pk:
            raise forms.ValidationError(_("You cannot suspend yourself."), code="self")
        current = member.forum_suspensions.filter(until__gt=timezone.now(), lifted_at__isnull=True).order_by("-until").first()
        if current is not None:
            raise forms.ValidationError(
                _("%(username)s is already suspended until %(until)s. Lift that suspension first to set another."),
                code="suspended",
                params={"username": username, "until": formats.date_format(timezone.localtime(current.until), "DATETIME_FORMAT")},
            )
        self.member = member
        return username


class SuspensionsView(ModerationPageMixin, FormView):
    """GET: the form and the suspensions running now; POST: suspend a member."""

    template_name = "forum/admin/suspensions.html"
    form_class = SuspendForm
    page_title = _("Forum suspensions")
    header_icon = "lock"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def form_valid(self, form):
        member = form.member
        suspension = services.member_suspend(self.request.user, member, days=form.cleaned_data["days"],
                                             reason=form.cleaned_data["reason"])
        messages.success(self.request, _("%(name)s (@%(username)s) is suspended until %(until)s.") % {
            "name": member.public_name, "username": member.username,
            "until": formats.date_format(timezone.localtime(suspension.until), "DATETIME_FORMAT"),
        })
        return redirect(SUSPENSIONS_URL)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = (Suspension.objects.filter(until__gt=timezone.now(), lifted_at__isnull=True)
                   .select_related("member", "created_by").order_by("until", "pk"))
        paginator = WagtailPaginator(current, SUSPENSIONS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(
            page_obj=page,
            suspensions=page.object_list,
            elided_page_range=paginator.get_elided_page_range(page.number),
            index_url=reverse(SUSPENSIONS_URL),
        )
        return context


class SuspensionLiftView(ModeratorRequiredMixin, View):
    """POST /admin/forum_suspensions/<pk>/lift/: end the member's running suspension now."""

    http_method_names = ["post"]

    def post(self, request, pk):
        suspension = get_object_or_404(Suspension.objects.select_related("member"), pk=pk)
        member = suspension.member
        if services.member_unsuspend(request.user, member):
            messages.success(request, _("The suspension of %(name)s (@%(username)s) is lifted.") % {
                "name": member.public_name, "username": member.username})
        else:
            messages.info(request, _("That suspension had already ended."))
        return redirect(SUSPENSIONS_URL)
