import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop.selectors import orders_for_member

from .forms import AccountDeleteForm, ProfileForm
from .permissions import can_edit_profile, can_view_profile
from .selectors import member_get_visible
from .services import member_delete, member_export_data, member_update_profile

DASHBOARD_ORDERS = 10


def profile(request, username):
    member = member_get_visible(username)
    if not can_view_profile(request.user, member):
        raise PermissionDenied
    return render(request, "members/profile.html", {
        "member": member,
        "can_edit": can_edit_profile(request.user, member),
    })


@login_required
def dashboard(request):
    return render(request, "members/dashboard.html", {
        "member": request.user,
        "orders": orders_for_member(request.user, limit=DASHBOARD_ORDERS),
    })


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    member = request.user
    if not can_edit_profile(request.user, member):
        raise PermissionDenied
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member_update_profile(
            member,
            display_name=data["display_name"], bio=data["bio"], birthday=data["birthday"],
            marketing_consent=data["marketing_consent"], avatar=data["avatar_upload"],
            remove_avatar=data["remove_avatar"],
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("members:profile", username=member.username)
    if request.method == "POST":
        member.refresh_from_db()  # the form's instance holds rejected values; show the stored ones
    return render(request, "members/profile_edit.html", {"form": form, "member": member}, status=400 if form.errors else 200)


@login_required
def data_export(request):
    data = member_export_data(request.user)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
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
