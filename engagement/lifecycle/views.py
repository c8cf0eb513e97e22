"""The survey pages a survey e-mail's links open (see surveys.py for the rules).

GET /surveys/<token>/<score>/ shows the scale with the e-mail's choice selected and a button; its POST
records the score sent (the member may pick another one on the page; without one, the link's score)
and shows the comment form; POST /surveys/<token>/comment/ saves the comment. Forged links answer 400, expired
ones 410, a survey or member that is gone 404, a link of another member (signed in) 403, a score
outside the scale 400; an answered survey shows what was answered (a different score POSTed: 409).
No GET writes. Answers and comments are rate-limited per address.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.ratelimit import window_hit

from .app_settings import app_settings
from .models import COMMENT_MAX
from .surveys import State, survey_answer, survey_check, survey_comment

STATUS = {State.INVALID: 400, State.BAD_SCORE: 400, State.EXPIRED: 410, State.GONE: 404, State.NOT_YOURS: 403}


def _limited(request):
    address = request.META.get("REMOTE_ADDR", "")
    if window_hit(f"lifecycle:survey:{address}", app_settings.SURVEY_POSTS_PER_HOUR, 3600):
        return None
    return HttpResponse(_("Too many answers from your address. Try again in an hour."), status=429,
                        content_type="text/plain; charset=utf-8")


def _page(request, check, token, status=200, **extra):
    context = {"state": check.state, "survey": check.survey, "token": token, "comment_max": COMMENT_MAX, **extra}
    return render(request, "lifecycle/survey.html", context, status=STATUS.get(check.state, status))


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer_view(request, token, score):
    check = survey_check(token, request.user, score)
    if not check.ok:
        return _page(request, check, token)
    survey = check.survey
    if request.method == "GET":
        return _page(request, check, token, step="answered" if survey.answered else "confirm", score=score)
    limited = _limited(request)
    if limited:
        return limited
    chosen = request.POST.get("score")
    if chosen is not None:
        score = int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) <= 2 else -1
        check = survey_check(token, request.user, score)
        if not check.ok:
            return _page(request, check, token)
    recorded = survey_answer(survey, score)
    if not recorded and survey.score != score:
        return _page(request, check, token, status=409, step="answered", score=survey.score, conflict=True)
    return _page(request, check, token, step="answered", score=survey.score, just_recorded=recorded)


@never_cache
@require_POST
def survey_comment_view(request, token):
    check = survey_check(token, request.user)
    if not check.ok:
        return _page(request, check, token)
    survey = check.survey
    if not survey.answered:
        return _page(request, check, token, status=409, step="confirm_first")
    limited = _limited(request)
    if limited:
        return limited
    text = request.POST.get("comment", "")
    if len(text.strip()) > COMMENT_MAX:
        return _page(request, check, token, status=400, step="answered", score=survey.score, comment_error=_(
            "At most %(max)s characters, please.") % {"max": COMMENT_MAX}, comment_text=text[:COMMENT_MAX * 2])
    if not text.strip():
        return _page(request, check, token, status=400, step="answered", score=survey.score,
                     comment_error=_("Write a few words, or simply close this page."))
    survey_comment(survey, text)
    return _page(request, check, token, step="thanks", score=survey.score)
