"""Every response carries a Content-Security-Policy and a Permissions-Policy; the site's pages hold
nothing that policy refuses (inline scripts, event-handler attributes, javascript: URLs, inline
styles); the Wagtail admin has a policy of its own.

The pages are those of tests/pagecheck.py (the Nu HTML checker and axe walk them too); the browser
test tests/browser/test_page_walk.py opens them in Chromium and listens for violations.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from community.forum.markup import render_markdown
from community.forum.models import Category
from tests.factories import MemberFactory
from tests.pagecheck import INVALID_PROFILE_POST, MEMBER_PAGES, PUBLIC_PAGES, index_live_pages, make_page_member, prepare
from tests.website.test_operations import PROD_ENV, _django
from website.settings.base import _csp_hash

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=\s*\"([^\"]*)\"", re.I)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {name: values for name, _, values in (part.strip().partition(" ") for part in policy.split(";"))}


def inline_problems(html):
    """What in the HTML the site's policy would refuse."""
    problems = []
    for attributes, body in SCRIPT_TAG.findall(html):
        if "src=" not in attributes and 'type="application/ld+json"' not in attributes:
            problems.append(f"an inline script: <script{attributes}>{body[:80]}")
    problems += [f"an event-handler attribute: {m.group(0)[:120]}" for m in HANDLER_ATTRIBUTE.finditer(html)]
    problems += ["a javascript: URL"] if re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.I) else []
    problems += ["a <style> element"] if re.search(r"<style\b", html, re.I) else []
    problems += [f"a style attribute: {m.group(0)[:120]}" for m in STYLE_ATTRIBUTE.finditer(html)
                 if m.group(1) not in settings.MARKDOWN_ALIGN_STYLES]
    return problems


def test_every_page_carries_both_headers_and_nothing_the_policy_refuses():
    member = make_page_member()
    prepare(PUBLIC_PAGES + MEMBER_PAGES)
    index_live_pages()
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(member)
    responses = [(f"GET {p.url(member.username)} (anonymous)", anonymous.get(p.url(member.username)), p.status)
                 for p in PUBLIC_PAGES]
    responses += [(f"GET {p.url(member.username)} (signed in)", signed_in.get(p.url(member.username)), p.status)
                  for p in MEMBER_PAGES]
    responses.append(("POST /me/profile/ (invalid)", signed_in.post("/me/profile/", INVALID_PROFILE_POST), 400))
    problems = []
    for label, response, status in responses:
        assert response.status_code == status, f"{label} answered {response.status_code}"
        policy = directives(response)
        assert policy["script-src"] == "'self'", label
        assert policy["style-src"] == "'self'", label
        assert policy["frame-ancestors"] == "'none'", label
        assert policy["object-src"] == "'none'", label
        assert "camera=()" in response["Permissions-Policy"], label
        problems += [f"{label}: {problem}" for problem in inline_problems(response.content.decode())]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/healthz", "/robots.txt", "/sitemap.xml", "/forum/categories.css", "/static/css/site.css",
                                  "/no-such-page/"])
def test_other_responses_carry_them_too(client, path):
    response = client.get(path)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_a_page_served_from_the_page_cache_carries_them(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    client.get("/")
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    assert directives(response)["script-src"] == "'self'"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_wagtail_admin_has_its_own_policy_and_the_site_keeps_its_own():
    editor = MemberFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(editor)
    admin = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in admin["script-src"]
    assert admin["frame-ancestors"] == "'self'"  # its previews frame the site's pages
    site = directives(client.get("/"))
    assert site["script-src"] == "'self'"
    assert site["frame-ancestors"] == "'none'"


def test_video_players_may_be_framed_and_fullscreen():
    response = Client().get("/")
    for origin in ("https://www.youtube.com", "https://player.vimeo.com"):
        assert origin in directives(response)["frame-src"]
        assert f'"{origin}"' in response["Permissions-Policy"].split("fullscreen=")[1]


def test_markdown_table_alignment_is_exactly_what_the_policy_allows():
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    styles = set(re.findall(r'style="([^"]*)"', html))
    assert styles == set(settings.MARKDOWN_ALIGN_STYLES)
    allowed = directives(Client().get("/"))["style-src-attr"].split()
    assert allowed[0] == "'unsafe-hashes'"
    assert {_csp_hash(style) for style in styles} == set(allowed[1:])


def test_category_colours_come_from_a_stylesheet(client, assert_queries):
    care = Category.objects.create(name="Care", slug="care", colour="#12AB3c")
    lounge = Category.objects.create(name="Lounge", slug="lounge", members_only=True)
    Category.objects.filter(pk=lounge.pk).update(colour="red;}*{")  # never through the admin's validator
    url = reverse("forum:category_styles")
    response = assert_queries(1, lambda: client.get(url), grow=lambda: Category.objects.create(name="W", slug="w"))
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "max-age=300" in response["Cache-Control"]
    css = response.content.decode()
    assert f".category-colour-{care.pk}{{--category:#12AB3c}}" in css
    assert "red" not in css and f"category-colour-{lounge.pk}" not in css
    page = client.get(reverse("forum:index")).content.decode()
    assert f'class="category-card category-colour-{care.pk}"' in page
    assert f'href="{url}"' in page


def test_a_post_to_the_stylesheet_is_refused(client):
    assert client.post(reverse("forum:category_styles")).status_code == 405


def test_production_allows_pictures_from_the_media_host():
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
            "settings.ADMIN_CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])")
    env = {**PROD_ENV, "AWS_STORAGE_BUCKET_NAME": "pictures", "AWS_S3_CUSTOM_DOMAIN": "media.example.com"}
    result = _django("website.settings.production", env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("https://media.example.com") == 2


def test_a_responsive_embed_has_no_inline_style():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    embed = SimpleNamespace(is_responsive=True, ratio_css="56.25%", html='<iframe src="https://www.youtube.com/embed/x"></iframe>')
    html = render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})
    assert 'class="responsive-object"' in html and "style" not in html
    assert '<iframe src="https://www.youtube.com/embed/x"></iframe>' in html
