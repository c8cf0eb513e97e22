import datetime

import pytest
from django.utils import timezone

from community.forum.models import Category
from engagement.play.models import Challenge, Goal
from tests.factories import MemberFactory


class Stub:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.fixture
def alice(db):
    return MemberFactory(username="alice", display_name="Alice")


@pytest.fixture
def bob(db):
    return MemberFactory(username="bob", display_name="Bob")


@pytest.fixture
def staff(db):
    return MemberFactory(username="sam", display_name="Sam from the team", is_staff=True)


@pytest.fixture
def category(db):
    return Category.objects.create(name="Care and repair", slug="care", description="Washing, mending.")


def make_challenge(slug="summer", goal=Goal.REVIEWS, count=2, points=100, hashtag="", start=-1, end=10, **extra):
    now = timezone.now()
    extra.setdefault("published", True)
    return Challenge.objects.create(slug=slug, title=f"Challenge {slug}", goal=goal, goal_count=count, points=points,
                                    hashtag=hashtag, starts_at=now + datetime.timedelta(days=start),
                                    ends_at=now + datetime.timedelta(days=end), **extra)
