"""Challenge pages: /challenges/ (open, upcoming and past ones), /challenges/<slug>/ (hero, goal,
dates, the member's progress bar, the opt-in leaderboard). Joining and the leaderboard choice are
POSTs, rate-limited. Not in the anonymous page cache: the page differs per member."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.ratelimit import window_hit

from . import selectors, services
from .models import Challenge

CHOICES_PER_HOUR = 30


def _challenge(slug):
    if len(slug) > 120:
        raise Http404
    challenge = Challenge.objects.published().select_related("hero_image").filter(slug=slug).first()
    if challenge is None:
        raise Http404
    return challenge


@require_GET
def challenge_list(request):
    return render(request, "play/challenges.html", selectors.challenges_listed())


@require_GET
def challenge_detail(request, slug):
    challenge = _challenge(slug)
    entry = selectors.challenge_entry(challenge, request.user)
    response = render(request, "play/challenge.html", {
        "challenge": challenge,
        "entry": entry,
        "is_open": challenge.is_open(),
        "upcoming": challenge.starts_at > timezone.now(),
        "leaderboard": selectors.challenge_leaderboard(challenge),
        "counts": selectors.challenge_counts(challenge),
    })
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-cache"
    return response


def _limited(request):
    if window_hit(f"play:challenge:{request.user.pk}", CHOICES_PER_HOUR, 3600):
        return False
    messages.error(request, _("You did this often in the last hour: please try again later."))
    return True


@login_required
@require_POST
def challenge_join(request, slug):
    challenge = _challenge(slug)
    if _limited(request):
        return redirect(challenge)
    try:
        _entry, created = services.challenge_join(challenge, request.user,
                                                  leaderboard=request.POST.get("leaderboard") == "1")
    except services.JoinRefused as refused:
        messages.error(request, str(refused))
        return redirect(challenge)
    if created:
        messages.success(request, _("You joined the challenge. Good luck!"))
    return redirect(challenge)


@login_required
@require_POST
def challenge_leaderboard_choice(request, slug):
    challenge = _challenge(slug)
    entry = selectors.challenge_entry(challenge, request.user)
    if entry is None or not challenge.leaderboard:
        raise Http404
    if _limited(request):
        return redirect(challenge)
    show = request.POST.get("show") == "1"
    services.challenge_leaderboard_choose(entry, show)
    if show:
        messages.success(request, _("You are on this challenge’s leaderboard, by your display name."))
    else:
        messages.success(request, _("You are no longer shown on this challenge’s leaderboard."))
    return redirect(challenge)
