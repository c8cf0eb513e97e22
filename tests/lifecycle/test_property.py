"""Property: whatever order events arrive in, however often each is replayed and however they are
split into batches, no member gets two e-mails of one kind for one event, and every eligible
(kind, member, event) gets exactly one."""

import pytest
from django.core import mail
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagement.lifecycle.kinds import Kind
from engagement.lifecycle.models import SendLog
from engagement.lifecycle.sending import Item, send_batch
from tests.factories import MemberFactory

KINDS = [Kind.BIRTHDAY, Kind.WIN_BACK, Kind.CARE_TIPS, Kind.DIGEST]
VALUES = {Kind.BIRTHDAY: {"points": 1, "points_url": "/"}, Kind.WIN_BACK: {"days": 1, "products": ""},
          Kind.CARE_TIPS: {"order": "#1", "care_tips": "x"}, Kind.DIGEST: {"topics": "", "forum_url": "/"}}

event = st.tuples(st.sampled_from(KINDS), st.integers(0, 2), st.sampled_from(["e1", "e2", "e3"]))


@pytest.fixture
def members(db):
    from community.members.notifications import notification_preferences_save
    from engagement.lifecycle.kinds import PREFERENCE

    made = [MemberFactory() for _ in range(3)]
    for member in made:  # the digest is opt-in
        notification_preferences_save(member, {PREFERENCE[Kind.DIGEST]: (True, True)})
    return made


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(event, min_size=1, max_size=25), cuts=st.lists(st.integers(1, 6), min_size=1, max_size=10))
def test_never_two_e_mails_of_one_kind_for_one_event(members, events, cuts):
    SendLog.objects.all().delete()
    mail.outbox.clear()
    # deliver the stream in batches of the drawn sizes; each batch grouped by kind as a pass would
    position, n = 0, 0
    while position < len(events):
        size = cuts[n % len(cuts)]
        batch, position, n = events[position:position + size], position + size, n + 1
        for kind in KINDS:
            items = [Item(members[m], key, VALUES[kind]) for k, m, key in batch if k == kind]
            send_batch(kind, items)
    expected = {(kind, members[m].email, key) for kind, m, key in events}
    assert len(mail.outbox) == len(expected)
    assert SendLog.objects.count() == len(expected)
    assert {(log.kind, log.member.email, log.event_key) for log in SendLog.objects.select_related("member")} == expected
