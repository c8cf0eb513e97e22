"""Pictures in posts: uploaded with the form (no JavaScript needed), checked like avatars,
re-encoded as WebP without their EXIF data, stored under a random name and shown in the post."""

import io

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
    assert f'<img src="{upload.file.url}" alt="A green shirt">' in post.body_html


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
