import datetime
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend

from community.members.models import Notification, NotificationPreference
from community.members.notification_kinds import notification_kinds
from community.members.selectors import notifications_for_member, notifications_unread_count
from community.members.services import member_delete, notification_send, notifications_mark_read
from community.members.tokens import unsubscribe_token_make
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def actor(db):
    return MemberFactory(display_name="Ελένη")


def send(recipient, key="forum:post:1:reply", kind="reply", actor=None, url="/forum/t/1/#p1",
         title="Ελένη replied"):
    return notification_send(recipient, kind, actor=actor, url=url, title=title, excerpt="Linen & wool", source_key=key)


def unsubscribe_path(message):
    header = message.extra_headers["List-Unsubscribe"]
    return re.fullmatch(r"<http://testserver(/notifications/unsubscribe/[^>]+/)>", header).group(1)


# --- Sending ------------------------------------------------------------------------------------

def test_sending_twice_for_one_event_makes_one_notification_and_one_email(member, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(member, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        second = send(member, actor=actor)
    assert isinstance(first, Notification) and second is None
    assert Notification.objects.filter(recipient=member).count() == 1
    assert len(mail.outbox) == 1
    assert first.actor == actor and first.kind == "reply" and first.excerpt == "Linen & wool"


def test_the_database_refuses_a_duplicate_source(member):
    send(member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=member, kind="reply", url="/x/", title="t", source_key="forum:post:1:reply")


def test_the_same_event_may_notify_several_members(member, actor):
    other = MemberFactory()
    assert send(member, actor=actor) and send(other, actor=actor)


@pytest.mark.parametrize("state", [{"is_active": False}, {"deleted_at": timezone.now()}])
def test_inactive_or_deleted_members_get_nothing(state, django_capture_on_commit_callbacks):
    recipient = MemberFactory(**state)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(recipient) is None
    assert not Notification.objects.exists() and not mail.outbox


def test_nobody_is_notified_of_their_own_action(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send(member, actor=member) is None
    assert not Notification.objects.exists() and not mail.outbox


def test_a_kind_switched_off_on_the_site_sends_nothing(member, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(member=member, kind="mention", in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(member, kind="mention") is None
        assert send(member, kind="reply", key="other") is not None
    assert list(Notification.objects.values_list("kind", flat=True)) == ["reply"]


def test_a_kind_switched_off_by_email_is_shown_but_not_emailed(member, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(member=member, kind="reply", in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(member) is not None
    assert not mail.outbox
    assert Notification.objects.get().emailed_at is None


@pytest.mark.parametrize("kind, emailed", [("reply", True), ("mention", True), ("solved", True), ("moderation", True),
                                           ("like", False), ("quote", False), ("system", False)])
def test_email_defaults_per_kind(member, kind, emailed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send(member, kind=kind) is not None
    assert len(mail.outbox) == (1 if emailed else 0)


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "forum/t/1/",
                                 "javascript:alert(1)", "/" + "x" * 500])
def test_only_site_paths_are_accepted(member, url):
    with pytest.raises(ValueError):
        send(member, url=url)


def test_an_unknown_kind_is_refused(member):
    with pytest.raises(ValueError):
        send(member, kind="poke")


def test_long_titles_and_excerpts_are_cut_to_fit(member):
    notification = notification_send(member, "reply", url="/forum/", title="Λ" * 250, excerpt="x " * 400, source_key="k")
    notification.refresh_from_db()
    assert len(notification.title) == 200 and notification.title.endswith("…")
    assert len(notification.excerpt) == 300


# --- The batched e-mail -------------------------------------------------------------------------

def run_enqueued():
    results = list(default_task_backend.results)
    default_task_backend.clear()
    for result in results:
        result.task.call(*result.args, **result.kwargs)
    return results


def test_notifications_in_one_window_make_one_email(member, actor, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY_TASKS
    settings.NOTIFICATION_EMAIL_BATCH_SECONDS = 300
    before = timezone.now()
    for n, kind in enumerate(["reply", "mention", "solved"]):
        with django_capture_on_commit_callbacks(execute=True):
            send(member, key=f"forum:post:{n}:{kind}", kind=kind, actor=actor, url=f"/forum/t/{n}/", title=f"Title {n}")
    results = [r for r in default_task_backend.results if r.task.name == "notification_digest_send"]
    assert len(results) == 1  # only the first notification of the window enqueued the e-mail
    run_after = results[0].task.run_after
    assert before + datetime.timedelta(seconds=300) <= run_after <= timezone.now() + datetime.timedelta(seconds=300)
    assert not mail.outbox
    run_enqueued()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "[Brand Community] 3 new notifications"
    for n in range(3):
        assert f"Title {n}\n" in message.body and f"http://testserver/forum/t/{n}/\n" in message.body
    assert "Linen & wool" in message.body  # plain text: nothing HTML-escaped
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    # the window is over once the e-mail went: the next notification schedules a new one
    with django_capture_on_commit_callbacks(execute=True):
        send(member, key="later", title="Later")
    assert [r.task.name for r in default_task_backend.results] == ["notification_digest_send"]
    run_enqueued()
    assert len(mail.outbox) == 2 and mail.outbox[1].subject == "[Brand Community] Later"
    assert "Title 0" not in mail.outbox[1].body


def test_a_notification_read_on_the_site_before_the_email_is_left_out(member, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        send(member, key="a", url="/forum/t/1/", title="Seen already")
    with django_capture_on_commit_callbacks(execute=True):
        send(member, key="b", url="/forum/t/2/", title="Not seen")
    notifications_mark_read(member, urls=["/forum/t/1/"])
    run_enqueued()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Brand Community] Not seen"
    assert "Seen already" not in mail.outbox[0].body
    assert Notification.objects.get(source_key="a").emailed_at is None


def test_everything_read_before_the_task_runs_sends_nothing(member, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        send(member)
    notifications_mark_read(member)
    run_enqueued()
    assert not mail.outbox


def test_no_email_to_a_member_deleted_before_the_task_runs(member, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        send(member)
    member_delete(member)
    run_enqueued()
    assert not mail.outbox


def test_without_deferred_tasks_each_notification_is_emailed_at_once(member, django_capture_on_commit_callbacks):
    # The immediate backend (development, tests) cannot defer: the e-mail goes when the
    # transaction commits, and what one transaction sent goes in one e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        send(member, key="a", title="First")
        send(member, key="b", title="Second")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "[Brand Community] 2 new notifications"
    with django_capture_on_commit_callbacks(execute=True):
        send(member, key="c", title="Third")
    assert len(mail.outbox) == 2 and mail.outbox[1].subject == "[Brand Community] Third"


def test_nothing_is_enqueued_when_the_transaction_rolls_back(member, settings):
    settings.TASKS = DUMMY_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        send(member)
        raise RuntimeError
    assert not default_task_backend.results and not Notification.objects.exists()


def test_no_email_to_an_address_that_is_not_verified(django_capture_on_commit_callbacks):
    newcomer = MemberFactory(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(newcomer) is not None  # shown on the site once they confirm and sign in
    assert not mail.outbox


def test_the_email_has_one_click_unsubscribe_and_a_settings_link(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(member, kind="mention", title="Ελένη mentioned you")
    message = mail.outbox[0]
    assert message.subject == "[Brand Community] Ελένη mentioned you"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(message)
    assert f"http://testserver{path}" in message.body
    assert "http://testserver/me/notifications/preferences/" in message.body
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


# --- Reading ------------------------------------------------------------------------------------

def test_the_list_shows_newest_first_and_marks_unread_in_words(member_client):
    member = member_client.member
    old = send(member, key="old", title="Older one", url="/forum/t/1/")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    send(member, key="new", title="Newer one", url="/forum/t/2/")
    notifications_mark_read(member, urls=["/forum/t/1/"])
    html = member_client.get("/me/notifications/").content.decode()
    assert html.index("Newer one") < html.index("Older one")
    assert html.count(">Unread</strong>") == 1
    assert 'href="/forum/t/2/"' in html and 'href="/forum/t/1/"' in html


def test_viewing_the_list_writes_nothing(member_client):
    send(member_client.member)
    assert member_client.get("/me/notifications/").status_code == 200
    assert Notification.objects.get().read_at is None


def test_mark_all_as_read_is_a_post(member_client):
    member = member_client.member
    send(member, key="a")
    send(member, key="b")
    assert member_client.get("/me/notifications/read/").status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    response = member_client.post("/me/notifications/read/", follow=True)
    assert response.redirect_chain[-1][0] == "/me/notifications/"
    assert "All your notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "Mark all as read" not in response.content.decode()


def test_mark_all_as_read_leaves_what_arrived_after_the_list_was_shown(member_client):
    member = member_client.member
    send(member, key="seen")
    html = member_client.get("/me/notifications/").content.decode()
    seen_at = re.search(r'name="seen_at" value="([^"]+)"', html).group(1)
    later = send(member, key="later")
    Notification.objects.filter(pk=later.pk).update(created_at=timezone.now() + datetime.timedelta(seconds=5))
    member_client.post("/me/notifications/read/", {"seen_at": seen_at})
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("source_key", flat=True)) == ["later"]


def test_mark_read_by_url_and_for_one_member_only(member):
    other = MemberFactory()
    send(member, key="a", url="/forum/t/1/")
    send(member, key="b", url="/forum/t/2/")
    send(other, key="a", url="/forum/t/1/")
    assert notifications_mark_read(member, urls=["/forum/t/1/"]) == 1
    assert notifications_mark_read(member, urls=[]) == 0
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("recipient", "url")) == {
        (member.pk, "/forum/t/2/"), (other.pk, "/forum/t/1/"),
    }


def test_open_marks_one_read_and_follows_its_link(member_client):
    notification = send(member_client.member, url="/forum/t/7/?page=2#p40")
    path = f"/me/notifications/{notification.pk}/open/"
    assert member_client.get(path).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
    response = member_client.post(path)
    assert response.status_code == 302 and response["Location"] == "/forum/t/7/?page=2#p40"
    notification.refresh_from_db()
    assert notification.read_at is not None
    htmx = member_client.post(path, headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == "/forum/t/7/?page=2#p40"


def test_another_members_notification_cannot_be_opened(member_client):
    theirs = send(MemberFactory())
    assert member_client.post(f"/me/notifications/{theirs.pk}/open/").status_code == 404
    assert member_client.post("/me/notifications/999999/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("url", ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example"])
def test_an_offsite_link_stored_anyhow_is_not_followed(member_client, url):
    notification = Notification.objects.create(recipient=member_client.member, kind="system", url=url, title="t", source_key="k")
    response = member_client.post(f"/me/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/me/notifications/"
    assert 'href="/me/notifications/"' in member_client.get("/me/notifications/").content.decode()


def test_pages_of_thirty(member_client):
    member = member_client.member
    for n in range(31):
        send(member, key=f"k{n}", title=f"Note {n:02d}")
    first = member_client.get("/me/notifications/").content.decode()
    assert first.count('<li class="notification') == 30 and "Note 30" in first and "Note 00" not in first
    second = member_client.get("/me/notifications/?page=2").content.decode()
    assert "Note 00" in second and "Page 2 of 2" in second
    assert member_client.get("/me/notifications/?page=abc").status_code == 200
    assert member_client.get("/me/notifications/?page=3").status_code == 404
    assert member_client.get("/me/notifications/?page=-1").status_code == 200  # core.pagination: the first page


def test_the_pages_need_a_signed_in_member(client, db):
    for path in ("/me/notifications/", "/me/notifications/preferences/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/me/notifications/read/").status_code == 302
    assert client.post("/me/notifications/1/open/").status_code == 302


def test_list_query_count_does_not_grow(member_client, assert_queries):
    member = member_client.member
    for n in range(3):
        send(member, key=f"k{n}", actor=MemberFactory())
    member_client.get("/me/notifications/")  # warm the site menu and the unread count

    def more():
        for n in range(3, 30):
            send(member, key=f"k{n}", actor=MemberFactory())
        member_client.get("/me/notifications/")

    # the session, the member, the paginator's count, the page of notifications with their actors
    response = assert_queries(4, lambda: member_client.get("/me/notifications/"), grow=more, keep_cache=True)
    assert response.content.decode().count('class="notification notification--unread"') == 30


# --- The header's unread count ------------------------------------------------------------------

def test_the_header_shows_the_unread_count(member_client):
    member = member_client.member
    html = member_client.get("/me/").content.decode()
    assert 'href="/me/notifications/">' in html and '"notifications-link__label">Notifications</span></a>' in html
    assert "unread" not in html
    for n in range(3):
        send(member, key=f"k{n}")
    html = member_client.get("/me/").content.decode()
    assert "Notifications, 3 unread" in html and '<span class="count-badge">3</span>' in html
    member_client.post("/me/notifications/read/")
    assert "Notifications, 3 unread" not in member_client.get("/me/").content.decode()
    assert "Notifications" not in Client().get("/members/" + member.username + "/").content.decode().split("</header>")[0]


def test_the_unread_count_is_cached_and_follows_every_change(member, count_queries):
    assert notifications_unread_count(member) == 0
    with count_queries() as q:
        assert notifications_unread_count(member) == 0
    assert q.count == 0
    first = send(member, key="a")
    send(member, key="b")
    assert notifications_unread_count(member) == 2
    notifications_mark_read(member, urls=[first.url])  # both have the same url
    assert notifications_unread_count(member) == 0
    send(member, key="c")
    assert notifications_unread_count(member) == 1
    assert cache.get(f"notify:unread:{member.pk}") == 1


def test_a_page_pays_at_most_one_query_for_the_count(member_client, count_queries):
    send(member_client.member)
    member_client.get("/me/notifications/preferences/")
    with count_queries() as warm:
        member_client.get("/me/notifications/preferences/")
    cache.delete(f"notify:unread:{member_client.member.pk}")
    with count_queries() as cold:
        member_client.get("/me/notifications/preferences/")
    assert cold.count == warm.count + 1
    assert 'FROM "members_notification" ' not in warm.sql and 'FROM "members_notification" ' in cold.sql


# --- Preferences --------------------------------------------------------------------------------

def test_preferences_show_the_defaults_and_save(member_client):
    member = member_client.member
    html = member_client.get("/me/notifications/preferences/").content.decode()
    assert re.search(r'name="reply_email"[^>]*checked', html)
    assert not re.search(r'name="like_email"[^>]*checked', html)
    assert "<legend>Replies</legend>" in html
    data = {f"{kind.code}_in_app": "on" for kind in notification_kinds()}
    data.pop("like_in_app")
    data["like_email"] = "on"
    response = member_client.post("/me/notifications/preferences/", data, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    stored = {p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(member=member)}
    assert stored["like"] == (False, True) and stored["reply"] == (True, False)
    assert send(member, kind="like") is None
    # saving again updates the rows rather than adding more
    member_client.post("/me/notifications/preferences/", {})
    assert NotificationPreference.objects.filter(member=member).count() == len(notification_kinds())
    assert not NotificationPreference.objects.filter(member=member, in_app=True).exists()


# --- Unsubscribe links --------------------------------------------------------------------------

def test_one_click_unsubscribe_without_csrf_or_cookies(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(member, kind="reply")
    path = unsubscribe_path(mail.outbox[0])
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "E-mails stopped" in response.content.decode()
    assert not client.cookies.get("sessionid")
    pref = NotificationPreference.objects.get(member=member, kind="reply")
    assert pref.email is False and pref.in_app is True
    # a replayed link answers the same and changes nothing
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert NotificationPreference.objects.filter(member=member).count() == 1
    # and no more e-mail of that kind, while it still shows on the site
    with django_capture_on_commit_callbacks(execute=True):
        assert send(member, key="again") is not None
    assert len(mail.outbox) == 1


def test_get_shows_a_button_and_writes_nothing(member):
    path = f"/notifications/unsubscribe/{unsubscribe_token_make(member, 'mention')}/"
    response = Client().get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post">' in html and ">Stop these e-mails</button>" in html and "<li>Mentions</li>" in html
    assert '<meta name="referrer" content="same-origin">' in html
    assert not NotificationPreference.objects.exists()
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    assert "You already get no e-mails about" in Client().get(path).content.decode()


def test_a_digest_link_stops_every_kind_it_lists(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(member, key="a", kind="reply")
        send(member, key="b", kind="solved")
    message = mail.outbox[0]
    body = message.body
    assert "Replies: http://testserver/notifications/unsubscribe/" in body
    assert "Solutions: http://testserver/notifications/unsubscribe/" in body
    Client().post(unsubscribe_path(message))
    stopped = NotificationPreference.objects.filter(member=member, email=False).values_list("kind", flat=True)
    assert set(stopped) == {"reply", "solved"}


def test_unsubscribe_link_does_not_expire(member):
    path = f"/notifications/unsubscribe/{unsubscribe_token_make(member, 'reply')}/"
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 5 * 365 * 24 * 3600):
        assert Client().post(path).status_code == 200
    assert NotificationPreference.objects.get(member=member, kind="reply").email is False


def test_forged_or_foreign_unsubscribe_links_are_refused(member):
    from django.core import signing

    genuine = unsubscribe_token_make(member, "reply")
    other = MemberFactory()
    payload, signature = genuine.rsplit(":", 1)
    forged = [
        "nonsense",
        payload + ":" + "A" * len(signature),  # right shape, wrong signature
        signing.Signer(salt="newsletter.unsubscribe").sign_object({"m": other.pk, "k": ["reply"]}),  # another salt
        signing.Signer(salt="members.notifications.unsubscribe").sign_object({"m": other.pk, "k": ["poke"]}),
    ]
    for token in forged:
        for method in ("get", "post"):
            response = getattr(Client(), method)(f"/notifications/unsubscribe/{token}/")
            assert response.status_code == 400
            assert "This link does not work" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_closed_accounts_link_does_nothing(member):
    path = f"/notifications/unsubscribe/{unsubscribe_token_make(member, 'reply')}/"
    member_delete(member)
    assert Client().post(path).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_unsubscribe_page_query_count(client, member, assert_queries):
    path = f"/notifications/unsubscribe/{unsubscribe_token_make(member, 'reply')}/"
    client.get(path)  # warm the site menu
    assert_queries(2, lambda: client.get(path), keep_cache=True)  # the member, their preferences


# --- Dashboard, data export, account deletion ---------------------------------------------------

def test_the_dashboard_shows_the_five_newest(member_client):
    member = member_client.member
    for n in range(7):
        notification = send(member, key=f"k{n}", title=f"Note {n}")
        Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10 - n))
    html = member_client.get("/me/").content.decode()
    assert all(f"Note {n}" in html for n in range(2, 7)) and "Note 1" not in html
    assert 'href="/me/notifications/">All your notifications</a>' in html


def test_the_export_has_the_notifications_and_settings(member_client, actor):
    member = member_client.member
    send(member, actor=actor, title="Ελένη replied")
    NotificationPreference.objects.create(member=member, kind="like", in_app=False, email=False)
    data = member_client.get("/me/data.json").json()
    assert [(n["title"], n["from"], n["url"]) for n in data["notifications"]] == [("Ελένη replied", "Ελένη", "/forum/t/1/#p1")]
    prefs = {p["kind"]: p for p in data["notification_preferences"]}
    assert prefs["like"] == {"kind": "like", "on_the_site": False, "by_email": False}
    assert prefs["reply"] == {"kind": "reply", "on_the_site": True, "by_email": True}


def test_deleting_the_account_removes_notifications_and_settings(member, actor):
    send(member, actor=actor)
    NotificationPreference.objects.create(member=member, kind="like", in_app=False, email=False)
    theirs = send(actor, actor=member, key="from-the-deleted-member")
    member_delete(member)
    assert not Notification.objects.filter(recipient=member).exists()
    assert not NotificationPreference.objects.filter(member=member).exists()
    assert notifications_unread_count(member) == 0
    # what the member caused for others goes too: its title names them, its excerpt quotes them
    assert not Notification.objects.filter(pk=theirs.pk).exists()
    assert list(notifications_for_member(actor)) == []
