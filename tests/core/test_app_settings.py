"""Each app's app_settings: the defaults, and a test's override read at once (allauth's pattern)."""

import pytest

from community.forum.app_settings import RATE_LIMITS_DEFAULT
from community.forum.app_settings import app_settings as forum
from community.members.app_settings import app_settings as members
from content.newsletter.app_settings import app_settings as newsletter
from shop.app_settings import app_settings as shop

# (app settings, property, setting, default, an override)
SETTINGS = [
    (forum, "NEW_MEMBER_POSTS", "FORUM_NEW_MEMBER_POSTS", 3, 5),
    (forum, "APPROVE_NEW_MEMBERS", "FORUM_APPROVE_NEW_MEMBERS", False, True),
    (members, "NOTIFICATION_EMAIL_BATCH_SECONDS", "NOTIFICATION_EMAIL_BATCH_SECONDS", 600, 0),
    (newsletter, "UNSUBSCRIBE_EMAIL", "NEWSLETTER_UNSUBSCRIBE_EMAIL", "", "out@example.com"),
    (newsletter, "SIGNUP_PER_IP", "NEWSLETTER_SIGNUP_PER_IP", (5, 60), (1, 1)),
    (newsletter, "SIGNUP_PER_ADDRESS", "NEWSLETTER_SIGNUP_PER_ADDRESS", (3, 3600), (1, 1)),
    (shop, "WEBHOOK_MAX_BYTES", "SHOP_WEBHOOK_MAX_BYTES", 1_048_576, 10),
]


@pytest.mark.parametrize(("app", "name", "setting", "default", "override"), SETTINGS)
def test_default_and_override(settings, app, name, setting, default, override):
    if hasattr(settings, setting):
        delattr(settings, setting)
    assert getattr(app, name) == default
    setattr(settings, setting, override)
    assert getattr(app, name) == override


def test_forum_rate_limits_merge_with_their_defaults(settings):
    assert forum.RATE_LIMITS == RATE_LIMITS_DEFAULT
    assert RATE_LIMITS_DEFAULT["topic"] == (3, 10, 3600) and RATE_LIMITS_DEFAULT["upload"] == (5, 60, 3600)
    settings.FORUM_RATE_LIMITS = {"like": (1, 2, 60)}
    assert forum.RATE_LIMITS == {**RATE_LIMITS_DEFAULT, "like": (1, 2, 60)}
