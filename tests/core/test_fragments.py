"""{% fragment %} and core.pagecache.part_kept: a part of a page made once per change of what it shows."""

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory

from core.pagecache import page_depends, page_max_age, page_scope_versions, page_timeout, part_kept, scopes_changed

CONTENT = "content:version"


@pytest.fixture(autouse=True)
def _clean(settings):
    settings.FRAGMENT_CACHE_SECONDS = 3600
    cache.clear()


def render(source, **context):
    request = context.pop("request", None) or RequestFactory().get("/")
    html = Template("{% load fragments %}" + source).render(Context({"request": request, **context}))
    return html, request


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"made {self.calls}"


def test_a_part_is_made_once_until_one_of_its_scopes_moves():
    made = Counter()
    source = '{% fragment "card" 7 scopes=scopes %}{{ made }}{% endfragment %}'
    assert render(source, made=made, scopes=["t:1"])[0] == "made 1"
    assert render(source, made=made, scopes=["t:1"])[0] == "made 1"
    scopes_changed("t:2", on_commit=False)  # another scope: still kept
    assert render(source, made=made, scopes=["t:1"])[0] == "made 1"
    scopes_changed("t:1", on_commit=False)
    assert render(source, made=made, scopes=["t:1"])[0] == "made 2"
    scopes_changed(CONTENT, on_commit=False)  # every part follows the content version
    assert render(source, made=made, scopes=["t:1"])[0] == "made 3"


def test_a_part_varies_on_its_values_and_the_language():
    from django.utils import translation

    made = Counter()
    source = '{% fragment "card" n %}{{ made }}{% endfragment %}'
    assert render(source, made=made, n=1)[0] == "made 1"
    assert render(source, made=made, n=2)[0] == "made 2"
    with translation.override("el"):
        assert render(source, made=made, n=1)[0] == "made 3"
    assert render(source, made=made, n=1)[0] == "made 1"


def test_scopes_declared_inside_are_kept_with_the_part_and_told_to_the_page_on_a_hit():
    made = Counter()

    def inner():
        page_depends(request_holder["request"], "member:5")
        return made()

    request_holder = {}
    for expected in ("made 1", "made 1"):
        request = request_holder["request"] = RequestFactory().get("/")
        assert part_kept(request, "strip", [], [CONTENT], inner) == expected
        # the page around the part follows the inner scope as well, on the hit too
        assert "member:5" in page_scope_versions(request)
    scopes_changed("member:5", on_commit=False)
    request = request_holder["request"] = RequestFactory().get("/")
    assert part_kept(request, "strip", [], [CONTENT], inner) == "made 2"


def test_a_part_with_a_max_age_is_kept_that_long_and_passes_it_to_the_page(monkeypatch):
    import core.pagecache as pagecache

    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "time", lambda: now[0])
    made = Counter()

    def lagging():
        page_max_age(request, 10)  # e.g. a rendition the task worker has not made yet
        return made()

    request = RequestFactory().get("/")
    assert part_kept(request, "hero", [], [CONTENT], lagging) == "made 1"
    now[0] += 4
    request = RequestFactory().get("/")
    assert part_kept(request, "hero", [], [CONTENT], made) == "made 1"
    assert page_timeout(request, 600) == 6  # the page keeps no longer than the part
    now[0] += 7
    request = RequestFactory().get("/")
    assert part_kept(request, "hero", [], [CONTENT], made) == "made 2"


def test_a_kept_form_carries_each_visitors_own_csrf_token(monkeypatch):
    """The part is made once, with a secret mark where the token goes; each use writes the visitor's
    token there, and the kept HTML holds no one's token."""
    from core.templatetags.fragments import csrf_mark

    kept, cache_set = [], cache.set
    monkeypatch.setattr(cache, "set", lambda key, value, *a, **k: (kept.append(value), cache_set(key, value, *a, **k)))
    made = Counter()
    source = '{% fragment "form" %}<form>{% csrf_token %}{{ made }}</form>{% endfragment %}'
    first = render(source, made=made, csrf_token="token-of-ann")[0]
    second = render(source, made=made, csrf_token="token-of-ben")[0]
    assert first == '<form><input type="hidden" name="csrfmiddlewaretoken" value="token-of-ann">made 1</form>'
    assert second == '<form><input type="hidden" name="csrfmiddlewaretoken" value="token-of-ben">made 1</form>'
    assert len(kept) == 1 and csrf_mark() in repr(kept[0]) and "token-of" not in repr(kept[0])
    assert csrf_mark() not in first
    # A visitor with no token gets an empty one, never the mark.
    assert csrf_mark() not in render(source, made=made)[0]


def test_a_part_holding_a_token_written_otherwise_is_never_kept():
    made = Counter()
    source = ('{% fragment "form" %}<form><input type="hidden" name="csrfmiddlewaretoken" value="{{ made }}">'
              "</form>{% endfragment %}")
    assert "made 1" in render(source, made=made)[0]
    assert "made 2" in render(source, made=made)[0]


def test_the_csrf_mark_is_secret_and_stable(settings):
    from core.templatetags.fragments import csrf_mark

    mark = csrf_mark()
    assert mark == csrf_mark() and len(mark) > 32
    csrf_mark.cache_clear()
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    try:
        assert csrf_mark() != mark
    finally:
        csrf_mark.cache_clear()


def test_previews_and_a_zero_setting_make_the_part_every_time(settings):
    made = Counter()
    source = '{% fragment "card" %}{{ made }}{% endfragment %}'
    preview = RequestFactory().get("/")
    preview.is_preview = True
    assert render(source, made=made, request=preview)[0] == "made 1"
    assert render(source, made=made, request=preview)[0] == "made 2"
    settings.FRAGMENT_CACHE_SECONDS = 0
    assert render(source, made=made)[0] == "made 3"
    assert render(source, made=made)[0] == "made 4"


def test_the_content_scope_is_the_content_version():
    from content.cache import CONTENT_VERSION_KEY
    from core.templatetags.fragments import CONTENT_SCOPE

    assert CONTENT_SCOPE == CONTENT_VERSION_KEY
