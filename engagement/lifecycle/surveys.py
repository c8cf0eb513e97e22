"""Survey links and answers.

A survey e-mail holds one link per answer: /surveys/<token>/<score>/. The token is signed for this
purpose only, carries the survey and its member, and expires after LIFECYCLE_SURVEY_LINK_DAYS.
Opening a link (GET) shows the chosen answer with a button; the POST records it, once: the
conditional UPDATE (score still empty) is what makes a second click, a reused link or two clicks at
once record only the first. The comment is asked for on the page after, through the same token.
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from core.tokens import TokenExpired, TokenInvalid, TokenPurpose

from .app_settings import app_settings
from .models import COMMENT_MAX, Survey

PK_MAX = 2**63 - 1


def _payload_ok(data):
    return (isinstance(data, dict) and all(isinstance(data.get(k), int) and not isinstance(data.get(k), bool)
                                           and 0 < data[k] <= PK_MAX for k in ("s", "m")))


SURVEY_LINK = TokenPurpose("lifecycle.survey.link", max_age=datetime.timedelta(days=30), validate=_payload_ok)


def survey_token_make(survey):
    return SURVEY_LINK.make({"s": survey.pk, "m": survey.member_id})


class State:
    OK = "ok"
    INVALID = "invalid"  # forged, cut short, or for another purpose
    EXPIRED = "expired"
    GONE = "gone"  # the survey or its member no longer exists
    NOT_YOURS = "not_yours"  # signed in as somebody else
    BAD_SCORE = "bad_score"


@dataclasses.dataclass
class Check:
    state: str
    survey: Survey = None

    @property
    def ok(self):
        return self.state == State.OK


def survey_check(token, user=None, score=None):
    """What a link is worth for `user` (who may be anonymous: the link came to the member's mailbox)."""
    try:
        data = SURVEY_LINK.read(token, max_age=datetime.timedelta(days=app_settings.SURVEY_LINK_DAYS))
    except TokenExpired:
        return Check(State.EXPIRED)
    except TokenInvalid:
        return Check(State.INVALID)
    survey = (Survey.objects.select_related("order", "member")
              .filter(pk=data["s"], member_id=data["m"], member__is_active=True, member__deleted_at__isnull=True).first())
    if survey is None:
        return Check(State.GONE)
    if user is not None and user.is_authenticated and user.pk != survey.member_id:
        return Check(State.NOT_YOURS, survey)
    if score is not None and score not in survey.scale:
        return Check(State.BAD_SCORE, survey)
    return Check(State.OK, survey)


def needs_follow_up(survey_type, score):
    """NPS detractors (0-6) and unhappy CSAT answers (1-2) go to the staff's queue."""
    return score <= 6 if survey_type == Survey.Type.NPS else score <= 2


def survey_answer(survey, score, *, now=None):
    """Record `score` unless the survey was answered already; True when this call recorded it."""
    if score not in survey.scale:
        raise ValueError("score out of the survey's scale")
    now = now or timezone.now()
    follow = Survey.FollowUp.NEW if needs_follow_up(survey.type, score) else Survey.FollowUp.NONE
    with transaction.atomic():
        recorded = Survey.objects.filter(pk=survey.pk, score__isnull=True).update(
            score=score, answered_at=now, follow_up=follow)
    if recorded:
        survey.score, survey.answered_at, survey.follow_up = score, now, follow
    else:
        survey.refresh_from_db(fields=["score", "answered_at", "comment", "follow_up"])
    return bool(recorded)


def survey_comment(survey, text):
    """Add the comment to an answered survey, once (a second one changes nothing); True when saved."""
    text = (text or "").strip()[:COMMENT_MAX]
    if not text or survey.score is None:
        return False
    saved = Survey.objects.filter(pk=survey.pk, score__isnull=False, comment="").update(comment=text)
    if saved:
        survey.comment = text
    return bool(saved)


def survey_follow_up(staff, survey, state, note):
    """Staff moves a queued answer to `state` (contacted / resolved) with a note."""
    if state not in (Survey.FollowUp.NEW, Survey.FollowUp.CONTACTED, Survey.FollowUp.RESOLVED):
        raise ValueError("unknown follow-up state")
    Survey.objects.filter(pk=survey.pk).update(follow_up=state, follow_up_note=(note or "")[:COMMENT_MAX],
                                               follow_up_by=staff, follow_up_at=timezone.now())
