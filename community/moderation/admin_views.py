"""Moderation in the Wagtail admin: the queue of reported and waiting items of every kind (with
bulk approve / hide), the moderation log, and suspensions.

Every view asks community.moderation.permissions.check_moderate first. Wagtail's admin already
asked for `wagtailadmin.access_admin` (without it: the admin's login redirect); a member with admin
access who is no moderator gets the admin's "no permission" redirect to the dashboard. Actions are
POST only (GET answers 405) and redirect back with a message. Lists are fixed numbers of queries
whatever the number of rows (one more per registered kind)."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import registry, selectors, services
from .forms import AGES, LogFilterForm, QueueFilterForm, ReasonForm, SuspendForm
from .models import Report, Suspension
from .permissions import check_moderate

QUEUE_URL = "moderation_queue:index"
SUSPENSIONS_URL = "moderation_suspensions:index"
LOG_PER_PAGE = 50
SUSPENSIONS_PER_PAGE = 50


class ModeratorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        check_moderate(request.user)
        return super().dispatch(request, *args, **kwargs)


class ModerationPageMixin(ModeratorRequiredMixin, WagtailAdminTemplateMixin):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


# --- the queue --------------------------------------------------------------------------------

class QueueView(ModerationPageMixin, TemplateView):
    template_name = "moderation/admin/queue.html"
    page_title = gettext_lazy("Moderation queue")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = QueueFilterForm(self.request.GET or None)
        kind = reason = older_than = None
        if form.is_valid():
            kind = registry.get(form.cleaned_data["kind"]) if form.cleaned_data["kind"] else None
            reason = form.cleaned_data["reason"] or None
            older_than = timedelta(days=AGES[form.cleaned_data["age"]]) if form.cleaned_data["age"] else None
        rows, report_total, waiting_total = selectors.moderation_queue(kind=kind, reason=reason, older_than=older_than)
        context.update(
            filter_form=form, rows=rows, report_total=report_total, waiting_total=waiting_total,
            hidden_rows=selectors.recently_hidden() if not (kind or reason or older_than) else [],
            queue_limit=selectors.QUEUE_LIMIT, hidden_limit=selectors.HIDDEN_LIMIT,
        )
        return context


def _parse_keys(values):
    """["forum_post:12", ...] -> {kind: [pk, ...]}; unknown kinds and bad numbers are left out."""
    wanted = {}
    for value in values:
        code, _sep, pk = str(value).partition(":")
        kind = registry.get(code)
        if kind is not None and pk.isdigit():
            wanted.setdefault(kind, []).append(int(pk))
    return wanted


class QueueActionView(ModeratorRequiredMixin, View):
    """POST /admin/moderation/queue/act/: `action` (approve, hide or restore) on the checked
    `items` ("<kind>:<pk>"), or on one item when a row's own button sends `item`."""

    http_method_names = ["post"]

    def post(self, request):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The reason can be at most 300 characters."))
            return redirect(QUEUE_URL)
        reason = form.cleaned_data["reason"]
        action = request.POST.get("action", "")
        single = request.POST.get("item")
        if single:
            action, _sep, key = single.partition("@")
            keys = [key]
        else:
            keys = request.POST.getlist("items")
        if action not in ("approve", "hide", "restore"):
            return HttpResponseBadRequest(_("Unknown moderation action."), content_type="text/plain; charset=utf-8")
        wanted = _parse_keys(keys)
        if not wanted:
            messages.info(request, _("Tick the items to act on first."))
            return redirect(QUEUE_URL)
        done = skipped = 0
        for kind, pks in wanted.items():
            for item in kind.queryset().filter(pk__in=pks):
                preview = kind.preview(item)
                if action == "approve" and preview.waiting and not preview.deleted and not preview.hidden:
                    services.item_approve(request.user, kind, item)
                elif action == "hide" and not preview.hidden and not preview.deleted:
                    services.item_hide(request.user, kind, item, reason)
                elif action == "restore" and preview.hidden:
                    services.item_restore(request.user, kind, item, reason)
                else:
                    skipped += 1
                    continue
                done += 1
        if done:
            messages.success(request, {
                "approve": ngettext("%(n)d item approved.", "%(n)d items approved.", done),
                "hide": ngettext("%(n)d item hidden; its open reports are closed.",
                                 "%(n)d items hidden; their open reports are closed.", done),
                "restore": ngettext("%(n)d item shown again.", "%(n)d items shown again.", done),
            }[action] % {"n": done})
        if skipped:
            messages.info(request, ngettext("%(n)d item was left as it was (already done, or deleted by its author).",
                                            "%(n)d items were left as they were (already done, or deleted by their author).",
                                            skipped) % {"n": skipped})
        return redirect(QUEUE_URL)


class ReportDismissView(ModeratorRequiredMixin, View):
    """POST /admin/moderation/queue/reports/<pk>/dismiss/: close a report, leaving the item."""

    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(Report.objects.select_related("content_type"), pk=pk)
        if services.report_dismiss(request.user, report):
            messages.success(request, _("The report is dismissed."))
        else:
            messages.info(request, _("That report was already dealt with."))
        return redirect(QUEUE_URL)


# --- the log ----------------------------------------------------------------------------------

class LogView(ModerationPageMixin, TemplateView):
    """Read-only: there is no view that adds, changes or deletes an entry."""

    template_name = "moderation/admin/log.html"
    page_title = gettext_lazy("Moderation log")
    header_icon = "history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = LogFilterForm(self.request.GET or None)
        filters = {}
        if form.is_valid():
            code = form.cleaned_data["kind"]
            filters = {"kind": "member" if code == "member" else registry.get(code) if code else None,
                       "action": form.cleaned_data["action"] or None, "query": form.cleaned_data["q"].strip() or None}
        paginator = WagtailPaginator(selectors.moderation_log(**filters), LOG_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        entries = list(page.object_list)
        for entry in entries:
            kind = registry.kind_for_model(entry.content_type.model_class()) if entry.content_type else None
            entry.kind_label = kind.label if kind else (entry.content_type.name if entry.content_type else "")
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(filter_form=form, entries=entries, page_obj=page,
                       elided_page_range=paginator.get_elided_page_range(page.number),
                       index_url=reverse("moderation_log:index"), query_string=query.urlencode())
        return context


# --- suspensions ------------------------------------------------------------------------------

class SuspensionsView(ModerationPageMixin, FormView):
    """GET: the form and the suspensions running now; POST: suspend a member."""

    template_name = "moderation/admin/suspensions.html"
    form_class = SuspendForm
    page_title = gettext_lazy("Suspensions")
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
        current = selectors.running_suspensions().select_related("member", "created_by").order_by("until", "pk")
        paginator = WagtailPaginator(current, SUSPENSIONS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(page_obj=page, suspensions=page.object_list,
                       elided_page_range=paginator.get_elided_page_range(page.number),
                       index_url=reverse(SUSPENSIONS_URL))
        return context


class SuspensionLiftView(ModeratorRequiredMixin, View):
    """POST /admin/moderation/suspensions/<pk>/lift/: end the member's running suspension now."""

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


