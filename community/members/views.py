import json
import tempfile
from contextlib import nullcontext

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.moderation.permissions import can_write
from core.ratelimit import window_hit
from shop.selectors import orders_for_member

from .app_settings import app_settings
from .consent import marketing_consent_for
from .forms import AccountDeleteForm, NotificationPreferencesForm, ProfileForm
from .notifications import notification_email_off, notification_mark_read, notification_preferences_save
from .permissions import can_edit_profile, can_view_profile
from .selectors import (
    member_get_visible,
    notification_get_for_member,
    notification_preferences_for_member,
    notification_unsubscribe_resolve,
    notifications_for_member,
    notifications_page,
)
from .services import (
    member_delete,
    member_export_data,
    member_export_zip,
    member_update_profile,
    notifications_mark_read,
)
from .welcome import welcome_steps

DASHBOARD_ORDERS = 10
DASHBOARD_NOTIFICATIONS = 5


def profile(request, username):
    member = member_get_visible(username)
    if not can_view_profile(request.user, member):
        raise PermissionDenied
    return render(request, "members/profile.html", {
        "member": member,
        "can_edit": can_edit_profile(request.user, member),
    })


@login_required
def welcome(request):
    """Where a new member lands after joining: what to do first."""
    return render(request, "members/welcome.html", {"member": request.user, "steps": welcome_steps(request.user)})


@login_required
def dashboard(request):
    return render(request, "members/dashboard.html", {
        "member": request.user,
        "orders": orders_for_member(request.user, limit=DASHBOARD_ORDERS),
        "notifications": notifications_for_member(request.user)[:DASHBOARD_NOTIFICATIONS],
        "marketing_consent": marketing_consent_for(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    member = request.user
    if not can_edit_profile(request.user, member):
        raise PermissionDenied
    # A suspension stops everything that writes something others see, the public profile too.
    suspended = not can_write(member)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member, public_locked=suspended)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The consent changes only when the box did: an untouched box leaves a newsletter sign-up
        # waiting for confirmation as it is.
        consent = data["marketing_consent"] if "marketing_consent" in form.changed_data else None
        member_update_profile(
            member,
            display_name=data["display_name"], bio=data["bio"], birthday=data["birthday"],
            marketing_consent=consent, language=get_language(), avatar=data["avatar_upload"],
            remove_avatar=data["remove_avatar"], preferred_language=data["language"],
        )
        # A member who chose another language goes on in it.
        with translation.override(member.language or settings.LANGUAGE_CODE) if "language" in form.changed_data \
                else nullcontext():
            messages.success(request, _("Your profile is saved."))
            return redirect("members:profile", username=member.username)
    if request.method == "POST":
        member.refresh_from_db()  # the form's instance holds rejected values; show the stored ones
    return render(request, "members/profile_edit.html", {"form": form, "member": member, "suspended": suspended},
                  status=400 if form.errors else 200)


def _export_refused(member):
    """A 429 answer once the member has downloaded their data too often this hour, else None.
    Building an export reads every table about the member: cheap once, not in a loop."""
    if window_hit(f"members:rl:export:{member.pk}", app_settings.DATA_EXPORTS_PER_HOUR, 3600):
        return None
    response = HttpResponse(_("You have downloaded your data many times in the last hour. Please try again later."),
                            status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "3600"
    return response


@login_required
@require_GET
def data_export(request):
    """The member's data as JSON (the layout README.md documents). Reads only."""
    refused = _export_refused(request.user)
    if refused:
        return refused
    data = member_export_data(request.user)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def data_export_zip(request):
    """The member's data as a zip: data.json plus the files they uploaded. Built in a spooled
    temporary file (memory up to MEMBERS_DATA_EXPORT_SPOOL_BYTES, then disk) and streamed."""
    refused = _export_refused(request.user)
    if refused:
        return refused
    spooled = tempfile.SpooledTemporaryFile(max_size=app_settings.DATA_EXPORT_SPOOL_BYTES)
    try:
        member_export_zip(request.user, spooled)
        spooled.seek(0)
    except BaseException:
        spooled.close()
        raise
    stamp = timezone.now().strftime("%Y%m%d")
    response = FileResponse(spooled, as_attachment=True, filename=f"my-data-{stamp}.zip", content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        member = request.user
        logout(request)
        member_delete(member)
        messages.success(request, _("Your account is deleted. Thank you for having been part of the community."))
        return redirect("/")
    return render(request, "members/account_delete.html", {"form": form}, status=400 if form.errors else 200)


# --- Notifications ------------------------------------------------------------------------------

@login_required
@require_GET
def notifications(request):
    """The member's notifications, newest first. Looking writes nothing; "Mark all as read" posts."""
    page_obj = notifications_page(request.user, request.GET.get("page"))
    return render(request, "members/notifications.html", {"page_obj": page_obj, "seen_at": timezone.now()})


@login_required
@require_POST
def notifications_read(request):
    """Mark all read: those that had arrived when the member looked at the list (seen_at)."""
    seen_at = parse_datetime(request.POST.get("seen_at", "") or "")
    if seen_at is not None and timezone.is_naive(seen_at):
        seen_at = None
    notifications_mark_read(request.user, created_before=seen_at)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("members:notifications")


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one of the member's own notifications read and go to what it is about."""
    notification = notification_get_for_member(request.user, pk)
    notification_mark_read(notification)
    target = notification.safe_url
    if request.htmx:  # htmx follows HX-Redirect with a real navigation
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        preferences=notification_preferences_for_member(request.user),
    )
    if request.method == "POST" and form.is_valid():
        notification_preferences_save(request.user, form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("members:notification_preferences")
    return render(request, "members/notification_preferences.html", {"form": form}, status=400 if form.errors else 200)


# RFC 8058: mail providers POST here with no cookies and no CSRF token; the signed token in the
# URL is the authentication. It never expires, and a second POST changes nothing.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token):
    """GET shows a button; POST stops e-mail about the link's kinds of notification."""
    link = notification_unsubscribe_resolve(token)
    if link is None:
        return render(request, "members/notification_unsubscribe.html", {"state": "invalid"}, status=400)
    if request.method == "POST":
        notification_email_off(link.member, link.kinds)
        return render(request, "members/notification_unsubscribe.html", {"state": "done", "link": link})
    preferences = notification_preferences_for_member(link.member)
    state = "confirm" if any(preferences[kind].email for kind in link.kinds) else "already"
    return render(request, "members/notification_unsubscribe.html", {"state": state, "link": link})
