import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from wagtail.models import Page

from content.models import HomePage

pytestmark = pytest.mark.django_db


def test_mail_goes_through_the_task_queue_to_the_delivery_backend(settings):
    settings.EMAIL_BACKEND = "website.mail.TaskQueueBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = EmailMultiAlternatives(
        "Γεια σου", "plain body", "from@example.com", ["to@example.com"], headers={"List-Unsubscribe": "<https://x/u>"}
    )
    message.attach_alternative("<p>html body</p>", "text/html")
    assert message.send() == 1
    assert len(mail.outbox) == 1
    delivered = mail.outbox[0]
    assert delivered.subject == "Γεια σου" and delivered.to == ["to@example.com"]
    assert delivered.extra_headers["List-Unsubscribe"] == "<https://x/u>"
    assert delivered.alternatives[0][0] == "<p>html body</p>"


def test_file_backend_writes_mail_to_the_folder(settings, tmp_path, capsys):
    settings.EMAIL_BACKEND = "website.mail.TaskQueueBackend"
    settings.EMAIL_DELIVERY_BACKEND = "website.mail.FileAndConsoleBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    send_mail("Hello", "Confirm: http://x/confirm/abc/", "from@example.com", ["to@example.com"])
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and "http://x/confirm/abc/" in files[0].read_text()
    assert "http://x/confirm/abc/" in capsys.readouterr().out


def _add_pages(n, start=0):
    home = HomePage.objects.first()
    for i in range(start, start + n):
        home.add_child(instance=Page(title=f"Linen care guide {i}", slug=f"linen-{i}", search_description="How to wash linen"))


def test_search_finds_pages_and_paginates(client):
    _add_pages(12)
    response = client.get("/search/?q=linen")
    assert response.status_code == 200
    body = response.content.decode()
    assert "12 results" in body and 'rel="next" href="?q=linen&amp;page=2"' in body
    assert "<mark>Linen</mark> care guide" in client.get("/search/?q=linen&page=2").content.decode()


def test_search_bad_page_numbers(client):
    _add_pages(1)
    assert client.get("/search/?q=linen&page=abc").status_code == 200
    assert client.get("/search/?q=linen&page=99").status_code == 404
    assert client.get("/search/?q=").status_code == 200


def test_search_escapes_the_query(client):
    body = client.get("/search/?q=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_search_query_count_does_not_grow_with_results(client, assert_queries):
    _add_pages(3)
    client.get("/search/?q=linen")  # warm the menu cache

    def more_pages():
        _add_pages(7, start=3)
        client.get("/search/?q=linen")  # new pages move the content version: warm the menu again

    # pages: the ranked ids, the specific rows (one query per page type), view restrictions for
    # public() and the site for their URLs; products: the ranked rows; the forum: the categories the
    # visitor may see, then topics and posts (none here, so each search stops at its ranked ids);
    # reviews (their ranked rows); photo posts (their ranked ids) and the hashtags named by the query's words
    assert_queries(12, lambda: client.get("/search/?q=linen"), grow=more_pages, keep_cache=True)


def test_search_finds_products_and_highlights_every_script(client):
    from tests.factories import ProductFactory

    ProductFactory(name="Λινό πουκάμισο", slug="lino", description="Ελαφρύ λινό για το καλοκαίρι.")
    ProductFactory(name="Wool socks", slug="socks", active=False)
    body = client.get("/search/?q=λινό").content.decode()
    assert '<a href="/products/lino/"><mark>Λινό</mark> πουκάμισο</a>' in body
    assert "Ελαφρύ <mark>λινό</mark> για" in body
    assert "Wool socks" not in client.get("/search/?q=wool").content.decode()


def test_highlight_escapes_before_marking():
    from content.templatetags.content_tags import highlight

    assert highlight("<b>linen</b> & wool", "linen amp") == "&lt;b&gt;<mark>linen</mark>&lt;/b&gt; &amp; wool"
