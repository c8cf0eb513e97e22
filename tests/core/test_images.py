"""core.images: what is accepted, what is refused and why, and what the re-encoded file keeps."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import BadHeader, ImageUse, image_header, image_process

USE = ImageUse(max_bytes=2 * 1024 * 1024, max_pixels=4_000_000, max_side=400)
SQUARE = ImageUse(max_bytes=2 * 1024 * 1024, max_pixels=4_000_000, max_side=64, square=True)


def encode(fmt, size=(300, 200), mode="RGB", colour=None, **options):
    out = io.BytesIO()
    colour = colour if colour is not None else {"RGB": (15, 92, 77), "RGBA": (15, 92, 77, 128), "CMYK": (0, 80, 80, 10),
                                                "I;16": 40000, "1": 1}.get(mode, 7)
    Image.new(mode, size, colour).save(out, format=fmt, **options)
    return out.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def palette_with_transparency():
    image = Image.new("P", (120, 80), 0)  # index 0, transparent, with an opaque blue square of index 1
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (40, 20, 80, 60))
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    return out.getvalue()


def exif_jpeg(orientation=None, gps=False, size=(300, 200)):
    image = Image.new("RGB", size, (200, 10, 10))
    image.paste((10, 10, 200), (0, 0, size[0] // 2, size[1]))  # blue left half, to see rotations
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (59.0, 54.0, 40.0), 3: "E", 4: (10.0, 44.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


ACCEPTED = [  # (case, bytes, file name, use, output size)
    ("jpeg", encode("JPEG"), "a.jpg", USE, (300, 200)),
    ("png", encode("PNG"), "a.png", USE, (300, 200)),
    ("gif", encode("GIF", mode="P"), "a.gif", USE, (300, 200)),
    ("webp", encode("WEBP"), "a.webp", USE, (300, 200)),
    ("avif", encode("AVIF"), "a.avif", USE, (300, 200)),
    ("heic", encode("HEIF"), "IMG_0001.HEIC", USE, (300, 200)),
    ("progressive jpeg", encode("JPEG", progressive=True), "a.jpg", USE, (300, 200)),
    ("wrong extension", encode("PNG"), "holiday.jpg", USE, (300, 200)),
    ("no extension", encode("WEBP"), "upload", USE, (300, 200)),
    ("cmyk jpeg", encode("JPEG", mode="CMYK"), "print.jpg", USE, (300, 200)),
    ("16-bit png", encode("PNG", mode="I;16"), "scan.png", USE, (300, 200)),
    ("bilevel png", encode("PNG", mode="1"), "fax.png", USE, (300, 200)),
    ("palette with transparency", palette_with_transparency(), "logo.png", USE, (120, 80)),
    ("rgba png", encode("PNG", mode="RGBA"), "a.png", USE, (300, 200)),
    ("shrunk to max_side", encode("JPEG", (1600, 800)), "a.jpg", USE, (400, 200)),
    ("never enlarged", encode("PNG", (40, 30)), "a.png", USE, (40, 30)),
    ("square crop", encode("JPEG", (1200, 800)), "a.jpg", SQUARE, (64, 64)),
    ("big jpeg decoded in draft", encode("JPEG", (4000, 3000)), "a.jpg", SQUARE, (64, 64)),
    ("exif orientation 6", exif_jpeg(6), "a.jpg", USE, (200, 300)),
    ("exif orientation 8, shrunk", exif_jpeg(8, size=(800, 600)), "a.jpg", USE, (300, 400)),
]


@pytest.mark.parametrize("case, data, name, use, size", ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_accepted(case, data, name, use, size):
    result = image_process(upload(data, name), use)
    assert (result.width, result.height) == size
    assert re.fullmatch(r"[0-9a-f]{32}\.webp", result.content.name)  # a random name, nothing of the original
    with Image.open(io.BytesIO(result.content.read())) as image:
        assert image.format == "WEBP" and image.size == size
        assert not image.getexif() and "xmp" not in image.info and "exif" not in image.info
        if case == "palette with transparency":
            assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0 and image.getpixel((60, 40))[3] == 255
        if case == "16-bit png":
            assert 140 < image.convert("L").getpixel((5, 5)) < 170  # scaled from 40000/65535, not clipped
        if case.startswith("exif orientation 6"):  # the blue left half is now on top
            top, bottom = image.getpixel((100, 20)), image.getpixel((100, 280))
            assert top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]


def truncated(data, keep):
    return data[:keep]


REFUSED = [  # (case, bytes, use, code)
    ("text", b"just some words, not a picture", USE, "format"),
    ("svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", USE, "format"),
    ("bmp", encode("BMP"), USE, "format"),
    ("empty", b"", USE, "format"),
    ("truncated jpeg header", truncated(encode("JPEG"), 40), USE, "invalid"),
    ("truncated jpeg data", truncated(encode("JPEG", (600, 400)), 900), USE, "invalid"),
    ("truncated png", truncated(encode("PNG", (600, 400)), 60), USE, "invalid"),
    ("truncated gif", truncated(encode("GIF", (600, 400), mode="P"), 12), USE, "invalid"),
    ("truncated webp", truncated(encode("WEBP"), 20), USE, "invalid"),
    ("too many bytes", encode("PNG") + b"\0" * (2 * 1024 * 1024), USE, "too_large"),
    ("too many pixels", encode("PNG", (2500, 2000), mode="1"), USE, "too_many_pixels"),
    ("too many pixels for a webp", encode("WEBP", (2500, 2000), lossless=True), USE, "too_many_pixels"),
    ("absurd aspect ratio", encode("PNG", (2100, 100)), USE, "aspect"),
]


@pytest.mark.parametrize("case, data, use, code", REFUSED, ids=[row[0] for row in REFUSED])
def test_refused(case, data, use, code):
    with pytest.raises(ValidationError) as refused:
        image_process(upload(data), use)
    assert refused.value.code == code and refused.value.messages[0]


def animated_gif(frames, size=(200, 200)):
    images = [Image.new("L", size, 255 * (n % 2)) for n in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=40)
    return out.getvalue()


def test_an_animation_is_checked_on_frames_times_pixels_and_shows_its_first_frame():
    short = animated_gif(5)
    assert image_header(short).frames == 5
    result = image_process(upload(short), USE)
    assert (result.width, result.height) == (200, 200)
    with pytest.raises(ValidationError) as refused:
        image_process(upload(animated_gif(30)), ImageUse(max_bytes=10**6, max_pixels=10**6, max_side=100,
                                                         max_animation_pixels=1_000_000))
    assert refused.value.code == "animation"


def test_a_progressive_jpeg_with_too_many_scans_is_refused():
    data = encode("JPEG", (64, 64), progressive=True)
    head, tail = data[:-2], data[-2:]
    scan = data[data.rindex(b"\xff\xda"):-2]  # the last scan, repeated
    bomb = head + scan * 60 + tail
    assert image_header(bomb).scans > 40
    with pytest.raises(ValidationError) as refused:
        image_process(upload(bomb), USE)
    assert refused.value.code == "invalid"


HEADERS = [
    ("jpeg", encode("JPEG", (321, 123)), ("JPEG", 321, 123)),
    ("png", encode("PNG", (322, 124)), ("PNG", 322, 124)),
    ("gif", encode("GIF", (323, 125), mode="P"), ("GIF", 323, 125)),
    ("lossy webp", encode("WEBP", (324, 126)), ("WEBP", 324, 126)),
    ("lossless webp", encode("WEBP", (325, 127), lossless=True), ("WEBP", 325, 127)),
    ("webp with alpha", encode("WEBP", (326, 128), mode="RGBA"), ("WEBP", 326, 128)),
    ("avif", encode("AVIF", (327, 129)), ("AVIF", 327, 129)),
    ("heif", encode("HEIF", (328, 130)), ("HEIF", 328, 130)),
]


@pytest.mark.parametrize("case, data, expected", HEADERS, ids=[row[0] for row in HEADERS])
def test_the_header_is_read_without_pillow(case, data, expected):
    header = image_header(data)
    assert (header.format, header.width, header.height) == expected


@pytest.mark.parametrize("data", [b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n\0\0", b"GIF89a\x01", b"RIFF\0\0\0\0WEBPVP8 "])
def test_a_cut_header_is_bad(data):
    with pytest.raises(BadHeader):
        image_header(data)


def test_gps_is_stripped():
    data = exif_jpeg(gps=True)
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test picture does carry a position
    result = image_process(upload(data), USE)
    assert b"SecretCam" not in result.content.read()
    result.content.seek(0)
    with Image.open(result.content) as image:
        assert not image.getexif().get_ifd(0x8825)
