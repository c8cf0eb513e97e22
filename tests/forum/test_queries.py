"""Pinned query counts for the forum's pages, for visitors and signed-in members: the same with 5
replies or 500, with 3 topics or 60, and never more than 10 (Spirit needs 22 on a signed-in topic
page). Rows are bulk-written here so the tests stay quick.

Signed-in counts include the session and the member (2), and the warm cache of the header's
notification count (the first view of each test fills it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.forum import services
from community.forum.cache import forum_changed
from community.forum.models import Category, Post, PostLike, Topic
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def grow_topic(topic, authors, replies):
    """Add `replies` replies at once, with likes, mentions and reply-to links."""
    start = topic.last_post_number
    now = timezone.now()
    posts = [Post(topic=topic, number=start + n, author=authors[n % len(authors)], body=f"Reply {n}",
                  body_html=f'<p>Reply {n} to <a class="mention" href="/members/alice/">@alice</a></p>',
                  created_at=now + timedelta(seconds=n)) for n in range(1, replies + 1)]
    Post.objects.bulk_create(posts)
    posts = list(Post.objects.filter(topic=topic, number__gt=start))
    Post.objects.filter(pk__in=[p.pk for p in posts[1::2]]).update(reply_to=posts[0])
    PostLike.objects.bulk_create([PostLike(post=p, member=authors[0]) for p in posts if p.author_id != authors[0].pk])
    Topic.objects.filter(pk=topic.pk).update(last_post_number=start + replies, reply_count=start + replies - 1)
    forum_changed(topics=[topic.pk], lists=True)  # as a reply through the services does


def grow_category(category, author, count):
    now = timezone.now()
    topics = Topic.objects.bulk_create([
        Topic(category=category, title=f"Topic {n}", slug=f"topic-{n}", author=author, last_poster=author,
              last_posted_at=now - timedelta(minutes=n), pinned=n == 3) for n in range(count)
    ])
    Post.objects.bulk_create([Post(topic=t, number=1, author=author, body="Hi", body_html="<p>Hi</p>") for t in topics])
    for topic in topics[:5]:
        topic.tags.set(["linen", f"tag-{topic.pk}"])
    services.counters_recount()  # the category page counts its topics from the categories' counters


@pytest.fixture
def topic_with_replies(topic, alice, bob):
    grow_topic(topic, [alice, bob], 5)
    return topic


# Anonymous topic page: the topic with its category, author and answer (1), its tags (1), the page's
# posts with authors and reply-to (1): the rows every visitor sees, made once per change of the
# topic and kept (views.topic._topic_rows), so a page read again reads no row at all.
TOPIC_ANON = 3
TOPIC_ANON_KEPT = 0
# Signed in: session and member (2), the suspension check for the reply form (1), the same three
# (when the topic changed since they were kept), the member's likes on the page (1), read position +
# watch level (1), and when there is something new, moving the read position (1) and marking read
# the notifications that lead here (1).
TOPIC_MEMBER = 10
TOPIC_MEMBER_REREAD = 5
# Kept for the member (the second visit stores the page, once the CSRF cookie is set): the session
# alone (in Redis in production: no query at all).
TOPIC_MEMBER_KEPT = 1


def test_topic_page_anonymous(client, topic_with_replies, alice, bob, assert_queries, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0  # every part made: the rows read
    topic = topic_with_replies
    client.get(topic.get_absolute_url())
    assert_queries(TOPIC_ANON, lambda: client.get(topic.get_absolute_url()), keep_cache=True,
                   grow=lambda: grow_topic(Topic.objects.get(pk=topic.pk), [alice, bob], 495))


def test_topic_page_anonymous_rows_kept_until_the_topic_changes(client, topic_with_replies, alice, bob,
                                                                assert_queries):
    topic = topic_with_replies
    url = topic.get_absolute_url()
    client.get(url)
    assert_queries(TOPIC_ANON_KEPT, lambda: client.get(url), keep_cache=True)
    other = Topic.objects.create(category=topic.category, title="Another", slug="another", author=alice,
                                 last_poster=alice)
    grow_topic(other, [alice, bob], 3)  # a reply elsewhere leaves this topic's rows kept
    assert_queries(TOPIC_ANON_KEPT, lambda: client.get(url), keep_cache=True)
    grow_topic(Topic.objects.get(pk=topic.pk), [alice, bob], 1)
    response = assert_queries(TOPIC_ANON, lambda: client.get(url), keep_cache=True)
    assert response.content.decode().count('<article class="forum-post') == 7


def test_topic_page_member_last_page(client, topic_with_replies, alice, bob, assert_queries):
    topic = topic_with_replies
    reader = MemberFactory()
    client.force_login(reader)

    url = {}

    def grow(replies):
        grow_topic(Topic.objects.get(pk=topic.pk), [alice, bob], replies)
        page = (Topic.objects.get(pk=topic.pk).last_post_number + 19) // 20
        url["last"] = f"{topic.get_absolute_url()}?page={page}" if page > 1 else topic.get_absolute_url()

    grow(1)
    client.get(url["last"])  # the member has a read position, the menu and the header are cached
    grow(1)  # something new to read on each counted visit
    response = assert_queries(TOPIC_MEMBER, lambda: client.get(url["last"]), keep_cache=True, grow=lambda: grow(495))
    assert response.status_code == 200 and "Post reply" in response.content.decode()


def test_topic_page_member_rereading_writes_nothing(client, topic_with_replies, alice, assert_queries):
    client.force_login(alice)
    client.get(topic_with_replies.get_absolute_url())
    stored = assert_queries(TOPIC_MEMBER_REREAD, lambda: client.get(topic_with_replies.get_absolute_url()), keep_cache=True)
    kept = assert_queries(TOPIC_MEMBER_KEPT, lambda: client.get(topic_with_replies.get_absolute_url()), keep_cache=True)
    assert kept.content == stored.content and "private" in kept["Cache-Control"]


def test_topic_page_moderator(client, topic_with_replies, moderator, alice, bob, assert_queries):
    client.force_login(moderator)
    client.get(topic_with_replies.get_absolute_url())
    # the categories to move the topic to (1) instead of the suspension check (staff are never
    # suspended), whether the staff member has the moderation permission (1), and no read position
    # to move on a second visit; the rows moderators see (hidden posts too) kept apart
    assert_queries(TOPIC_MEMBER_REREAD + 1, lambda: client.get(topic_with_replies.get_absolute_url()), keep_cache=True)


# Forum index: categories with their latest topic and sub-categories (2), latest topics (1) and
# their tags (1); signed in, the session and member (2) and whether they may post (1) too.
INDEX_ANON = 4
INDEX_MEMBER = 7


def test_index(client, category, alice, assert_queries):
    Category.objects.create(name="Wool", slug="wool", parent=category)
    grow_category(category, alice, 3)
    client.get("/forum/")
    assert_queries(INDEX_ANON, lambda: client.get("/forum/"), keep_cache=True,
                   grow=lambda: (grow_category(Category.objects.create(name="Style", slug="style"), alice, 40),
                                 Category.objects.create(name="Socks", slug="socks", parent=category)))
    client.force_login(alice)
    client.get("/forum/")
    assert_queries(INDEX_MEMBER, lambda: client.get("/forum/"), keep_cache=True)


# Category page: the category (1), its and its sub-categories' topic counts for the paginator (1),
# the topics with their read state (1), their tags (1); signed in, session and member (2), whether they may start a topic (1) and
# whether they watch the category (1).
CATEGORY_ANON = 4
CATEGORY_MEMBER = 8


def test_category_page(client, category, alice, bob, assert_queries):
    grow_category(category, alice, 3)
    client.get("/forum/c/care/")
    assert_queries(CATEGORY_ANON, lambda: client.get("/forum/c/care/"), keep_cache=True,
                   grow=lambda: grow_category(category, bob, 27))
    client.force_login(bob)
    client.get("/forum/c/care/")
    response = assert_queries(CATEGORY_MEMBER, lambda: client.get("/forum/c/care/"), keep_cache=True)
    assert response.content.decode().count('<li class="topic-row') == 30


def test_lists(client, category, alice, assert_queries):
    grow_category(category, alice, 40)
    first = Topic.objects.order_by("pk").first()
    Topic.objects.filter(pk__in=Topic.objects.order_by("pk").values("pk")[:3]).update(solution=first.posts.get())
    for kind in ("latest", "unanswered", "solved"):
        client.get(f"/forum/{kind}/")
        # a count for the paginator, the topics, their tags
        assert_queries(3, lambda kind=kind: client.get(f"/forum/{kind}/"), keep_cache=True)


def test_feed(client, category, alice, assert_queries):
    grow_category(category, alice, 5)
    client.get("/forum/feed/")
    assert_queries(2, lambda: client.get("/forum/feed/"), keep_cache=True, grow=lambda: grow_category(category, alice, 20))


def test_reply_costs_a_fixed_number_of_queries(client, topic_with_replies, bob, count_queries):
    """Posting does not write to other members' rows: no per-reader work, however many readers."""
    client.force_login(bob)
    readers = [MemberFactory() for _ in range(3)]
    for reader in readers:
        services.read_position_update(reader, topic_with_replies, 3)
    services.post_reply(bob, Topic.objects.get(pk=topic_with_replies.pk), body="Bob now watches the topic")
    with count_queries() as few:
        services.post_reply(bob, Topic.objects.get(pk=topic_with_replies.pk), body="First count")
    for reader in [MemberFactory() for _ in range(10)]:
        services.read_position_update(reader, topic_with_replies, 3)
    with count_queries() as many:
        services.post_reply(bob, Topic.objects.get(pk=topic_with_replies.pk), body="Second count")
    assert few.count == many.count


def test_profile_shows_forum_activity_in_fixed_queries(client, topic, alice, bob, members_category, assert_queries):
    services.post_reply(alice, topic, body="A reply of mine.")
    secret = services.topic_create(alice, members_category, title="Lounge talk", body="Members only")
    client.get("/members/alice/")

    def more():
        for n in range(5):
            services.topic_create(alice, topic.category, title=f"Another question {n}", body=f"Body {n}")
            services.post_reply(alice, topic, body=f"Another reply {n}")

    # the member, their loyalty tier, their photo posts (none here), their topics, their replies,
    # their reviews, their badges
    html = assert_queries(7, lambda: client.get("/members/alice/"), keep_cache=True, grow=more).content.decode()
    assert "In the forum" in html and "How do I wash linen?" in html and secret.title not in html


def test_edit_history_query_count(client, topic_with_replies, moderator, assert_queries):
    post = Post.objects.get(topic=topic_with_replies, number=2)
    client.force_login(moderator)

    def edit():
        for n in range(5):
            services.post_edit(moderator, Post.objects.get(pk=post.pk), body=f"Version {n}")

    client.get(f"/forum/p/{post.pk}/history/")
    # session, member, the post with its topic, category and author, the moderation permission,
    # the revisions with their editors
    assert_queries(5, lambda: client.get(f"/forum/p/{post.pk}/history/"), keep_cache=True, grow=edit)
