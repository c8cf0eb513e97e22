"""A small forum that does not depend on the demo data, for the page checks (Nu HTML checker and
axe, tests/pagecheck.py) and the browser tests: categories (one with a sub-category, one for
members only), a topic whose posts use every kind of Markdown, a reply by the page member that
mentions someone, an answer, a like and an unanswered topic.

make_check_forum() returns the values for the placeholders in the page checks' paths."""

from django.contrib.auth import get_user_model

from community.forum import services
from community.forum.models import Category
from tests.factories import MemberFactory

OPENING = """How do you wash **linen** so it softens?

## What I tried

1. Cold water
2. A *gentle* spin

| Setting | Result |
|:--|--:|
| 30 °C | soft |

> Linen is a fabric you wear in.

`code` and a [link](https://example.com), and an outside picture: ![shirt](https://elsewhere.example/p.jpg)
"""


def make_check_forum():
    page_member = get_user_model().objects.filter(username="ἀλίκη").first() or MemberFactory(username="ἀλίκη")
    asker = MemberFactory(username="βασίλης", display_name="Βασίλης")
    care = Category.objects.create(name="Care and repair", slug="care", description="Washing and mending.", position=1)
    Category.objects.create(name="Wool", slug="wool", parent=care, description="Knits and socks.")
    Category.objects.create(name="Members' lounge", slug="lounge", members_only=True, position=2)
    topic = services.topic_create(asker, care, title="How do I wash linen?", body=OPENING, tags=["linen", "λινό"])
    answer = services.post_reply(page_member, topic, body="Cold water and a gentle spin, @βασίλης. It softens with time.")
    other = services.post_reply(asker, topic, body="Thank you, that worked!", reply_to=answer)
    services.post_like(asker, answer)
    services.topic_mark_solved(asker, topic, answer)
    services.topic_create(asker, care, title="Moth holes in a scarf", body="Is darning worth it?")
    return {"topic": f"{topic.slug}/{topic.pk}", "topic_pk": topic.pk, "own_post": answer.pk, "other_post": other.pk}
