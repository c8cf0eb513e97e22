import pytest
from django.utils import timezone

from engagement.lifecycle.kinds import Kind
from engagement.lifecycle.models import SendLog, Survey
from engagement.lifecycle.privacy import lifecycle_erase, lifecycle_export
from tests.factories import MemberFactory

from .helpers import make_survey

pytestmark = pytest.mark.django_db


def test_export_and_deletion():
    member = MemberFactory()
    SendLog.objects.create(kind=Kind.BIRTHDAY, member=member, event_key="year:2026")
    make_survey(member, score=3, answered_at=timezone.now(), comment="Late parcel", follow_up="new",
                follow_up_note="Call them")
    data = lifecycle_export(member)
    assert data["emails_sent"][0]["kind"] == "birthday"
    assert data["surveys"][0]["score"] == 3 and data["surveys"][0]["comment"] == "Late parcel"
    lifecycle_erase(member)
    assert not SendLog.objects.filter(member=member).exists()
    survey = Survey.objects.get()
    assert (survey.member, survey.comment, survey.follow_up_note, survey.score) == (None, "", "", 3)
