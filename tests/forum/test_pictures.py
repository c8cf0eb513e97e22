"""Pictures in posts: uploaded with the form (no JavaScript needed), checked like avatars,
re-encoded as WebP without their EXIF data, stored under a random name and shown in the post."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.forum.models import Post, Upload

pytestmark = pytest.mark.django_db


def jpeg_with_exif(size=(2400, 1200)):
    image = Image.new("RGB", size, (15, 92, 77))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # the camera's maker
    exif[0x013B] = "Ἀλίκη at home"  # the artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("holiday at home.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_reply_with_a_picture(client, topic, bob):
    client.force_login(bob)
    response = client.post(f"/forum/t/{topic.pk}/reply/", {"body": "My shirt after ten washes.",
                                                           "picture": jpeg_with_exif(), "picture_alt": "A green shirt"})
    assert response.status_code == 302
    upload = Upload.objects.get()
    assert upload.member == bob and upload.file.name.startswith("forum/") and upload.file.name.endswith(".webp")
    assert "holiday" not in upload.file.name
    assert (upload.width, upload.height) == (1600, 800)  # shrunk to the longest side allowed
    with Image.open(upload.file.path) as stored:
        assert stored.format == "WEBP" and not stored.getexif()
    post = Post.objects.get(number=2)
    assert post.body.endswith(f"![A green shirt]({upload.file.url})")
    # Its renditions are made after the commit (never, in a test's transaction): the master shows.
    assert (f'<img src="{upload.file.url}" alt="A green shirt" width="1600" height="800" loading="lazy" '
            'decoding="async">') in post.body_html


def test_a_picture_is_shown_with_its_renditions_once_they_are_made(client, topic, bob,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Washed.", "picture": jpeg_with_exif((1200, 900)),
                                                   "picture_alt": "A shirt"})
    upload = Upload.objects.get()
    assert upload.renditions["widths"] == [320, 640, 1080, 1200]
    stem = upload.file.url.removesuffix(".webp")
    html = Post.objects.get(number=2).body_html  # rendered again once the renditions were there
    assert html.count("<picture>") == 1 and html.count("<source ") == len(upload.renditions["formats"])
    assert (f'<source type="image/webp" srcset="{stem}.320w.webp 320w, {stem}.640w.webp 640w, {stem}.1080w.webp 1080w, '
            f'{stem}.1200w.webp 1200w" sizes="(max-width: 48rem) 100vw, 720px">') in html
    assert (f'<img src="{upload.file.url}" alt="A shirt" width="1200" height="900" loading="lazy" '
            'decoding="async"></picture>') in html
    page = client.get(Post.objects.get(number=2).get_absolute_url(), follow=True).content.decode()
    assert f'srcset="{stem}.320w.webp 320w' in page


def test_deleting_an_upload_deletes_its_files(client, topic, bob, django_capture_on_commit_callbacks):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Washed.", "picture": jpeg_with_exif((700, 500))})
    upload = Upload.objects.get()
    folder = Path(upload.file.path).parent
    assert upload.renditions["widths"] == [320, 640, 700]  # never wider than the master
    assert len(list(folder.iterdir())) == 1 + 3 * len(upload.renditions["formats"])
    with django_capture_on_commit_callbacks(execute=True):
        upload.delete()
    assert not list(folder.iterdir())


def test_preview_keeps_the_picture_in_the_text(client, topic, bob):
    client.force_login(bob)
    response = client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Look:", "picture": jpeg_with_exif((300, 200)),
                                                           "preview": "1"})
    html = response.content.decode()
    upload = Upload.objects.get()
    assert response.status_code == 200 and f'<img src="{upload.file.url}"' in html
    assert f"![picture]({upload.file.url})</textarea>" in html  # the text now carries it
    assert Post.objects.count() == 1


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("notes.txt", b"not an image at all", content_type="text/plain"), "not an image we can read"),
    (SimpleUploadedFile("big.png", b"\\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/png"), "the limit is 5 MB"),
])
def test_bad_pictures_are_refused_and_nothing_is_posted(client, topic, bob, upload, message):
    client.force_login(bob)
    response = client.post(f"/forum/t/{topic.pk}/reply/", {"body": "See the picture", "picture": upload})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Upload.objects.exists() and Post.objects.count() == 1


@pytest.mark.parametrize("tag, attribute, value, kept", [
    ("source", "srcset", "/media/forum/a.320w.webp 320w, /media/forum/a.640w.webp 640w", True),
    ("source", "srcset", "/media/forum/a.320w.webp 320w, https://elsewhere.example/a.webp 640w", False),
    ("source", "srcset", "//elsewhere.example/media/a.webp 320w", False),
    ("source", "type", "image/avif", True),
    ("source", "type", "text/html", False),
    ("source", "sizes", "(max-width: 48rem) 100vw, 720px", True),
    ("source", "sizes", "999999px", False),
    ("img", "loading", "lazy", True),
    ("img", "loading", "eager", False),
    ("img", "decoding", "async", True),
    ("img", "width", "1600", True),
    ("img", "width", "1e9", False),
])
def test_the_sanitiser_keeps_only_own_responsive_pictures(tag, attribute, value, kept):
    from community.forum.markup import _attribute_filter

    assert (_attribute_filter(tag, attribute, value) is not None) == kept
