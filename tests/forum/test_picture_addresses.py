"""A picture in a post is shown only when it is a member's upload that exists, at a plain
normalised address inside MEDIA_URL (issue 11, item 6): otherwise a reader's browser would
request any page of the site with their cookies. Outside http(s) pictures stay links, anything
else plain text."""

import pytest

from community.forum.markup import _upload_name, pictures_for_markdown, render_markdown
from community.forum.models import Upload

ADDRESSES = [
    # (address in the Markdown, the storage name it names, or None)
    ("/media/forum/ok.webp", "forum/ok.webp"),
    ("/media/forum/%CE%BB%CE%B9%CE%BD%CF%8C.webp", "forum/λινό.webp"),
    ("/media/../forum/t/x/61/", None),
    ("/media/forum/../../forum/t/x/61/", None),
    ("/media/forum/./ok.webp", None),
    ("/media/forum//ok.webp", None),
    ("/media//forum/ok.webp", None),
    ("/media/%2e%2e/forum/t/x/61/", None),
    ("/media/%2E%2E/admin/", None),
    ("/media/forum%2fok.webp", None),
    ("/media/forum%2Fok.webp", None),
    ("/media/%252e%252e/admin/", None),
    ("/media/forum\\..\\ok.webp", None),
    ("/media/forum%5c..%5cok.webp", None),
    ("/media/forum/ok.webp?next=/logout/", None),
    ("/media/forum/ok.webp#x", None),
    ("/media/", None),
    ("/media/forum/ok.webp%00", None),
    ("/media", None),
    ("/forum/t/x/61/", None),
    ("//evil.example/media/forum/ok.webp", None),
    ("https://evil.example/media/forum/ok.webp", None),
    ("media/forum/ok.webp", None),
    ("/media/..", None),
]


@pytest.mark.parametrize(("address", "name"), ADDRESSES)
def test_only_normalised_paths_inside_the_uploads_folder_name_an_upload(address, name):
    assert _upload_name(address) == name


@pytest.fixture
def upload(db):
    from tests.factories import MemberFactory

    return Upload.objects.create(member=MemberFactory(), file="forum/ok.webp", width=40, height=30)


RENDERED = [
    # (Markdown, an <img> is shown, what the HTML holds instead)
    ("![ok](/media/forum/ok.webp)", True, 'src="/media/forum/ok.webp"'),
    ("![missing](/media/forum/missing.webp)", False, "missing"),
    ("![trap](/media/../forum/t/x/61/)", False, "trap"),
    ("![trap](/media/forum/../../me/)", False, "trap"),
    ("![trap](/media/%2e%2e/forum/t/x/61/)", False, "trap"),
    ("![trap](/media/forum/ok.webp?x=1)", False, "trap"),
    ("![trap](/forum/t/x/61/)", False, "trap"),
    ("![outside](https://elsewhere.example/p.jpg)", False, '<a href="https://elsewhere.example/p.jpg"'),
]


@pytest.mark.parametrize(("markdown", "shown", "holds"), RENDERED)
def test_only_an_existing_upload_is_shown_as_a_picture(upload, markdown, shown, holds):
    html = render_markdown(markdown, {}, pictures_for_markdown(markdown))
    assert ("<img" in html) is shown, html
    assert holds in html
    assert "/forum/t/" not in html and "/me/" not in html  # no trap address is left to follow
