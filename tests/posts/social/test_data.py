"""Photo posts in the member's data export and account deletion (README.md, "Members' data")."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from community.members.services import member_delete
from community.posts import interactions, moderation, rights
from community.posts.models import Comment, Hashtag, HashtagFollow, Post, PostLike, PostPhoto, RightsEvent
from tests.posts.social.conftest import make_post

pytestmark = pytest.mark.django_db
PHRASE = "kumquat-lantern-4471"


def erin_with_everything(alice, bob, moderator):
    from tests.posts.social.conftest import old_member

    erin = old_member("erinq")
    own = make_post(erin, f"My linen {PHRASE} #sommerlook", photos=2, rights=True)
    moderation.post_feature(moderator, own)
    interactions.comment_add(bob, own, "Lovely!")
    interactions.post_like(bob, own)
    others = make_post(alice, "Alice at the pier #sommerlook")
    interactions.post_like(erin, others)
    interactions.comment_add(erin, others, f"So nice @alice {PHRASE}")
    hidden = interactions.comment_add(erin, others, f"Hidden one {PHRASE}")
    moderation.comment_set_hidden(moderator, hidden, True)
    interactions.hashtag_follow(erin, Hashtag.objects.get(key="sommerlook"))
    rights.rights_withdraw(erin, own)
    rights.rights_grant(erin, own)
    return erin, own, others


def test_the_export_holds_the_members_posts_comments_likes_follows_and_rights(client, alice, bob, moderator):
    erin, _own, others = erin_with_everything(alice, bob, moderator)
    client.force_login(erin)
    data = client.get("/me/data.json").json()["posts"]
    [post] = data["posts"]
    assert post["caption"] == f"My linen {PHRASE} #sommerlook" and post["hashtags"] == ["sommerlook"]
    assert post["likes"] == 1 and post["comments"] == 1 and post["rights_granted_at"] and post["rights_version"] == "2026-1"
    assert [p["alt_text"] for p in post["photos"]] == ["Photo 0", "Photo 1"]
    assert [e["action"] for e in data["rights_history"]] == ["grant", "withdraw", "grant"]
    assert {c["text"] for c in data["comments"]} == {f"So nice @alice {PHRASE}", f"Hidden one {PHRASE}"}
    assert data["likes"] == [{"post_url": others.get_absolute_url(), "at": data["likes"][0]["at"]}]
    assert data["hashtags_followed"][0]["hashtag"] == "sommerlook"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get("/me/data.zip").streaming_content)))
    for photo in post["photos"]:
        stored = PostPhoto.objects.get(file__endswith=photo["file"].rsplit("/", 1)[-1])
        assert archive.read(photo["file"]) == stored.file.open("rb").read()
    assert all(p["file"] in json.loads(archive.read("data.json"))["files"] for p in post["photos"])


def test_the_exports_posts_section_costs_the_same_whatever_the_member_has(client, alice, bob, moderator, count_queries):
    erin, _own, _others = erin_with_everything(alice, bob, moderator)
    client.force_login(erin)
    client.get("/me/data.json")
    with count_queries() as before:
        client.get("/me/data.json")
    more = make_post(erin, "Another #été #sommerlook", photos=3, rights=True)
    interactions.comment_add(erin, more, "Mine too")
    interactions.post_like(erin, make_post(bob, "Bob's #été"))
    interactions.hashtag_follow(erin, Hashtag.objects.get(key="été"))
    with count_queries() as after:
        client.get("/me/data.json")
    assert before.count == after.count


def _rows_with(text):
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the schema)
            for row in cursor.fetchall():
                hits += [(table, value) for value in row if isinstance(value, str) and text in value]
    return hits


def test_deletion_removes_posts_files_likes_follows_and_the_words_of_comments(alice, bob, moderator,
                                                                             django_capture_on_commit_callbacks):
    erin, own, others = erin_with_everything(alice, bob, moderator)
    files = [Path(photo.file.path) for photo in PostPhoto.objects.filter(post=own)]
    assert files and all(f.exists() for f in files) and _rows_with(PHRASE)
    with django_capture_on_commit_callbacks(execute=True):
        member_delete(erin)
    assert _rows_with(PHRASE) == []
    assert not any(f.exists() for f in files)
    assert not Post.objects.filter(author=erin).exists() and not RightsEvent.objects.exists()
    assert not PostLike.objects.filter(member=erin).exists() and not HashtagFollow.objects.filter(member=erin).exists()
    others.refresh_from_db()
    assert others.like_count == 0 and others.comment_count == 0
    # the comments on alice's post stay in their place, without their words, as "deleted member"
    left = Comment.objects.filter(post=others)
    assert left.count() == 2 and all(c.deleted_at and c.body == "" == c.body_html for c in left)
    assert Hashtag.objects.get(key="sommerlook").post_count == 1  # alice's post only
    from community.posts.services import counters_recount

    assert counters_recount() == 0
