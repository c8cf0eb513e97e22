"""/me/points/: the member's points (balance, pending), tier and progress to the next, their ledger
in plain words (20 entries a page, newest first, older ones by `?cursor=`), the ways to earn,
rewards to redeem (loyalty-redeem's include), and the opt-in monthly leaderboard. Signed-in
members only; each sees only their own. GET writes nothing; joining or leaving the leaderboard is
a POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.ratelimit import window_hit

from ..app_settings import app_settings
from . import selectors, services
from .perks import member_shipping_code
from .rules import programme_cached


@login_required
@require_GET
def points(request):
    member = request.user
    prog = programme_cached()
    balance, basis = selectors.points_state(member, prog=prog)
    progress = selectors.tier_progress(member, prog=prog, basis=basis, tiers=selectors.tiers_cached())
    cursor = request.GET.get("cursor", "")
    ledger, lines = selectors.ledger_page(member, cursor, prog=prog)
    context = {
        "programme": prog,
        "balance": balance,
        "progress": progress,
        "ledger": ledger,
        "lines": lines,
        "ways": selectors.earning_ways(prog),
        "leaderboard_joined": progress.on_leaderboard,
        # read only when the member's tier gives free shipping
        "shipping_code": member_shipping_code(member) if progress.tier and progress.tier.free_shipping else None,
    }
    if prog.leaderboard_enabled:
        context["referrers"], context["contributors"] = selectors.leaderboard()
    response = render(request, "referrals/loyalty/points.html", context)
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def leaderboard_choice(request):
    """Join (join=1) or leave (anything else) the monthly leaderboard. Each choice moves the cached
    board's version, so it is rate-limited (LOYALTY_LEADERBOARD_CHOICES_PER_HOUR)."""
    join = request.POST.get("join") == "1"
    if not window_hit(f"loyalty:leaderboard:{request.user.pk}", app_settings.LEADERBOARD_CHOICES_PER_HOUR, 3600):
        messages.error(request, _("You changed this often in the last hour: please try again later."))
        return redirect("referrals:points")
    services.leaderboard_choose(request.user, join)
    if join:
        messages.success(request, _("You are on the leaderboard from now on, by your display name."))
    else:
        messages.success(request, _("You are no longer shown on the leaderboard."))
    return redirect("referrals:points")
