"""Decompression bombs: small files that declare far more pixels (or frames) than they carry.
`python tests/core/bombs.py DIR` writes them to DIR; run in a subprocess, so the memory needed to
make them never counts against the process under test."""

import io
import struct
import sys
from pathlib import Path

from PIL import Image


def _gif(width, height, frames=1):
    """A GIF whose logical screen is width x height, with `frames` frames of one pixel each."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x4c\x01\x00"
    delay = b"\x21\xf9\x04\x00\x01\x00\x00\x00" if frames > 1 else b""
    return header + (delay + frame) * frames + b"\x3b"


def huge_screen_gif():
    """35 bytes: a 65,000 x 600 logical screen (39 MP) with one tiny frame."""
    return _gif(65000, 600)


def many_frame_gif():
    """A 2,000 x 2,000 animation of 3,000 frames, each a few bytes (12 GP in all)."""
    return _gif(2000, 2000, frames=3000)


def huge_png(side=6300):
    """6,300 x 6,300 bilevel pixels (40 MP) in about 5 KB."""
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def progressive_jpeg(width=6000, height=6000):
    """A progressive JPEG of 36 MP: libjpeg keeps every DCT coefficient of it, draft or not."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="JPEG", progressive=True, quality=10)
    return out.getvalue()


def webp(width=6000, height=6000):
    """36 MP in under 50 bytes."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 80, 200)).save(out, format="WEBP", lossless=True, method=0)
    return out.getvalue()


def avif(width=6000, height=6000):
    """36 MP in about 1.4 KB."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 200, 80)).save(out, format="AVIF", speed=10, quality=10)
    return out.getvalue()


BOMBS = {
    "huge-screen.gif": huge_screen_gif,
    "many-frames.gif": many_frame_gif,
    "huge.png": huge_png,
    "progressive.jpg": progressive_jpeg,
    "huge.webp": webp,
    "huge.avif": avif,
}


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    for name, make in BOMBS.items():
        (folder / name).write_bytes(make())
