"""The members' side of moderation: one report flow for every registered kind.
/moderation/report/<kind>/<pk>/: GET the form, POST it. An unknown kind or item, or one the member
may not see, is a 404; their own item or a deleted one a 403 with the reason; a member over the
rate limit 429; a bad form 400 with its messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.ratelimit import window_hit

from . import registry, services
from .app_settings import app_settings
from .forms import ReportForm
from .permissions import check_report


def _reports_allowed(user):
    return window_hit(f"moderation:rl:report:{user.pk}", app_settings.REPORTS_PER_DAY, 86400)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, kind, pk):
    found = registry.get(kind)
    item = found.queryset().filter(pk=pk).first() if found else None
    if item is None or not found.can_view(request.user, item):
        raise Http404
    check_report(request.user, found, item)
    preview = found.preview(item)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _reports_allowed(request.user):
            return render(request, "429.html", status=429)
        made = services.report_create(request.user, item, reason=form.cleaned_data["reason"],
                                      details=form.cleaned_data["details"])
        if made:
            messages.success(request, _("Thank you: moderators will look at it."))
        else:
            messages.info(request, _("You have already reported this; your report is waiting for a moderator."))
        return redirect(preview.url)
    return render(request, "moderation/report.html", {"kind": found, "item": item, "preview": preview, "form": form},
                  status=400 if form.errors else 200)
