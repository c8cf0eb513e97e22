"""Real image bytes through the posting form and view: the good ones are stored re-encoded with no
EXIF (GPS above all) and get renditions, JPEG fallback included; the bad ones get a clear message
and nothing is stored (no post row, no file)."""

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.posts import services
from community.posts.models import Hashtag, Post, PostPhoto
from shop.models import Product
from tests.core.test_images import exif_jpeg
from tests.factories import ProductFactory

from .conftest import image_bytes, processed


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _dirs, files in os.walk(root) for f in files)


def heic_bytes():
    pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (20, 120, 200)).save(out, format="HEIF")
    return out.getvalue()


def png_bomb(width=20_000, height=20_000):
    """A PNG header declaring 20,000 x 20,000 pixels (400 MP), with a token IDAT: never decoded."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b"")


def post_form(client, *files, caption="A test #photos", **extra):
    data = {"caption": caption, **extra}
    for i, (name, content) in enumerate(files, start=1):
        data[f"photo_{i}"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
        data.setdefault(f"alt_{i}", f"Photo number {i}")
    return client.post(reverse("posts:new"), data)


GOOD = [
    ("jpeg with gps", "IMG_1.jpg", lambda: exif_jpeg(gps=True, size=(1200, 900))),
    ("png", "holiday.png", lambda: image_bytes("PNG", (500, 400))),
    ("webp", "holiday.webp", lambda: image_bytes("WEBP", (500, 400))),
    ("heic", "IMG_2.HEIC", heic_bytes),
]


@pytest.mark.parametrize(("label", "name", "make"), GOOD, ids=[g[0] for g in GOOD])
def test_good_photos_are_stored_re_encoded_without_exif(client, alice, settings, django_capture_on_commit_callbacks,
                                                        label, name, make):
    client.force_login(alice)
    data = make()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, (name, data))
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = PostPhoto.objects.get()
    assert photo.file.name.startswith("posts/") and photo.file.name.endswith(".jpg")
    assert name.split(".")[0] not in photo.file.name
    photo.refresh_from_db()
    manifest = photo.renditions
    assert manifest["widths"] and manifest["fallback"]
    for stored in stored_files(settings):
        with Image.open(os.path.join(settings.MEDIA_ROOT, stored)) as img:
            assert not img.getexif(), stored  # no EXIF at all, so no GPS
            assert "exif" not in img.info
    assert any(f.endswith(".jpg") for f in stored_files(settings))
    page = client.get(photo.post.get_absolute_url()).content.decode()
    assert 'type="image/webp"' in page and f'{photo.file.name.rsplit(".", 1)[0]}.{manifest["fallback"]}w.jpg' in page
    assert 'property="og:image" content="http://testserver/media/' in page


BAD = [
    ("text named .jpg", "photo.jpg", lambda: b"this is not an image at all", "not an image we can read"),
    ("truncated jpeg", "cut.jpg", lambda: exif_jpeg(size=(800, 600))[:900], "not an image we can read"),
    ("decompression bomb", "bomb.png", png_bomb, "too many pixels"),
    ("30 MB", "big.jpg", lambda: exif_jpeg()[:-2] + b"\x00" * (30 * 1024 * 1024) + b"\xff\xd9", "the limit is 15 MB"),
    ("svg", "logo.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "upload a JPEG, PNG"),
]


@pytest.mark.parametrize(("label", "name", "make", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_get_a_message_and_nothing_is_stored(client, alice, settings, label, name, make, message):
    client.force_login(alice)
    response = post_form(client, ("good.jpg", image_bytes()), (name, make()))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Post.objects.exists() and not PostPhoto.objects.exists()
    assert stored_files(settings) == []


def test_bad_input_from_the_issue(client, alice, settings):
    settings.POSTS_RATE_LIMITS = {"post": (100, 100, 3600)}
    client.force_login(alice)
    cases = [
        ({"caption": ""}, "Add at least one photo"),
        ({"caption": "#" + "x" * 200}, "a hashtag may have at most 100"),
        ({"caption": " ".join(f"#t{chr(0x3b1 + i % 24)}{i}" for i in range(31))}, "at most 30 are allowed"),
    ]
    for data, message in cases:
        files = {} if "Add at least" in message else {"photo_1": SimpleUploadedFile("a.jpg", image_bytes()), "alt_1": "x"}
        response = client.post(reverse("posts:new"), {**data, **files})
        assert response.status_code == 400, message
        assert message in response.content.decode(), message
    # seven photos
    data = {f"photo_{i}": SimpleUploadedFile(f"{i}.jpg", image_bytes()) for i in range(1, 8)}
    data.update({f"alt_{i}": "alt" for i in range(1, 8)})
    response = client.post(reverse("posts:new"), data)
    assert response.status_code == 400 and "at most 6 photos" in response.content.decode()
    # a photo without its alt text
    response = client.post(reverse("posts:new"), {"photo_1": SimpleUploadedFile("a.jpg", image_bytes()), "alt_1": " "})
    assert response.status_code == 400 and "Add the alt text for photo 1" in response.content.decode()
    # a product that left the catalogue (deleted, or inactive)
    gone = ProductFactory(active=False)
    response = client.post(reverse("posts:new"), {"photo_1": SimpleUploadedFile("a.jpg", image_bytes()), "alt_1": "a",
                                                  "products": [gone.pk]})
    assert response.status_code == 400 and "no longer in the shop" in response.content.decode().replace("&#x27;", "'")
    response = client.post(reverse("posts:new"), {"photo_1": SimpleUploadedFile("a.jpg", image_bytes()), "alt_1": "a",
                                                  "products": [987654]})
    assert response.status_code == 400 and "no longer in the shop" in response.content.decode().replace("&#x27;", "'")
    assert not Post.objects.exists() and stored_files(settings) == []


def test_a_failure_while_storing_leaves_no_file_and_no_post(alice, settings, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.PostProduct.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        services.post_create(alice, caption="#x", photos=[(processed(), "a"), (processed(), "b")])
    assert not Post.objects.exists() and not Hashtag.objects.exists()
    assert stored_files(settings) == []


def test_products_and_look_are_linked(client, alice):
    client.force_login(alice)
    product = ProductFactory(active=True)
    response = client.post(reverse("posts:new"), {"photo_1": SimpleUploadedFile("a.jpg", image_bytes()), "alt_1": "a",
                                                  "products": [product.pk], "caption": "x"})
    assert response.status_code == 302
    post = Post.objects.get()
    assert list(post.products.all()) == [product]
    assert product.name in client.get(post.get_absolute_url()).content.decode()
    Product.objects.filter(pk=product.pk).update(active=False)
    assert product.name not in client.get(post.get_absolute_url()).content.decode()
    response = client.post(reverse("posts:new"), {"photo_1": SimpleUploadedFile("a.jpg", image_bytes()), "alt_1": "a",
                                                  "look": "/not/a/lookbook/"})
    assert response.status_code == 400 and "not a lookbook page" in response.content.decode()


def test_a_phone_photo_is_decoded_at_half_scale_and_kept_at_that_size(alice):
    """12 megapixels from a phone: decoded at half scale (core.images draft_slack), no resize, a JPEG
    master of 2,016 pixels, which keeps the upload's answer quick (tests/bench/post_pages.py)."""
    post = services.post_create(alice, caption="", photos=[(processed(image_bytes("JPEG", (4032, 3024))), "A phone photo")])
    photo = post.photos.get()
    assert (photo.width, photo.height) == (2016, 1512) and photo.file.name.endswith(".jpg")
