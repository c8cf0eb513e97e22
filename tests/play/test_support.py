""""Ask the team": questions in the chosen category are timed until the first staff answer; the
figures (median, share within 24 h) against hand-worked fixtures; the admin report's access."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from community.forum.services import post_reply, topic_create
from engagement.play.models import SupportQuestion, SupportSettings
from engagement.play.selectors import support_figures
from engagement.play.templatetags.play_tags import duration_words
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


@pytest.fixture
def ask(category):
    settings = SupportSettings.load()
    settings.ask_category = category
    settings.save()
    return category


def test_the_first_staff_answer_is_recorded_once(ask, alice, bob, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_create(alice, ask, title="Can I wash wool?", body="In the machine?")
    question = SupportQuestion.objects.get(topic=topic)
    assert question.first_answer_at is None
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(bob, topic, body="I always hand wash mine.")  # a member: not the team
    question.refresh_from_db()
    assert question.first_answer_at is None
    with django_capture_on_commit_callbacks(execute=True):
        first = post_reply(staff, topic, body="Hand wash cold, dry flat.")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(staff, topic, body="And use wool detergent.")
    question.refresh_from_db()
    assert question.first_answer_id == first.pk and question.first_answer_at == first.created_at


def test_topics_elsewhere_are_not_timed(ask, alice, django_capture_on_commit_callbacks):
    from community.forum.models import Category

    other = Category.objects.create(name="Chat", slug="chat")
    with django_capture_on_commit_callbacks(execute=True):
        topic_create(alice, other, title="Hello all", body="Nice to meet you.")
    assert not SupportQuestion.objects.exists()


def _question(topic_maker, asked, waited):
    topic = topic_maker()
    return SupportQuestion.objects.create(topic=topic, asked_at=asked,
                                          first_answer_at=asked + waited if waited is not None else None)


@pytest.mark.parametrize("waits, median, within", [
    # waits in hours (None: waiting); the median of the answered; the share within 24 h of those judged
    ([1, 3, 30], 3 * H, 2 / 3),
    ([1, 2, 3, 50], 2.5 * H, 3 / 4),
    ([24, 25], 24.5 * H, 1 / 2),  # exactly 24 h counts as within
    ([None], None, 0.0),  # waiting for more than a day: judged, not within
    ([], None, None),  # no questions
])
def test_figures_against_hand_worked_fixtures(ask, alice, waits, median, within):
    now = timezone.now()
    counter = iter(range(100))

    def topic():
        from community.forum.models import Topic

        n = next(counter)
        return Topic.objects.create(category=ask, title=f"Q{n}", slug=f"q{n}", author=alice)

    for wait in waits:
        _question(topic, now - 60 * H, wait * H if wait is not None else None)
    figures = support_figures(now=now)
    assert figures.median == median
    assert figures.within_24h == (pytest.approx(within) if within is not None else None)
    assert figures.asked == len(waits) and figures.unanswered == waits.count(None)


def test_a_question_younger_than_a_day_is_not_judged_yet(ask, alice):
    from community.forum.models import Topic

    now = timezone.now()
    topic = Topic.objects.create(category=ask, title="Fresh", slug="fresh", author=alice)
    SupportQuestion.objects.create(topic=topic, asked_at=now - 2 * H)
    assert support_figures(now=now).within_24h is None


def test_duration_words():
    assert [duration_words(d) for d in (45 * datetime.timedelta(minutes=1), 27 * H, datetime.timedelta(0))] == [
        "45 min", "1 day 3 h", "0 min"]


def test_the_report_is_for_forum_staff_only(client, ask, alice):
    url = reverse("play_support_report")
    client.force_login(MemberFactory(is_staff=False))
    assert client.get(url).status_code in (302, 403)
    admin = MemberFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    from community.forum.models import Topic

    topic = Topic.objects.create(category=ask, title="Boots narrow?", slug="boots", author=alice)
    SupportQuestion.objects.create(topic=topic, asked_at=timezone.now() - 30 * H)
    page = client.get(url)
    assert page.status_code == 200 and "Boots narrow?" in page.content.decode()
