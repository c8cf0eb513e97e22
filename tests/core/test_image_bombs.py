"""Decompression bombs through the real forms and views: each is refused with a clear message, and
the peak memory of the request stays under 64 MB.

tracemalloc does not see Pillow's C allocations, so the real resident set is measured: each upload
runs in a child forked from this process (so it has the test database and a logged-in client), which
returns freed heap to the system (malloc_trim), resets its peak (`/proc/self/clear_refs`), posts, and
reports VmHWM - VmRSS. A control shows the method sees a Pillow allocation of 108 MB."""

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.forum.models import Category, Upload
from community.forum.services import topic_create

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's /proc/self/clear_refs"),
]

LIMIT_MB = 64
BOMBS = {  # file: what the page must say
    "huge-screen.gif": "too long and thin",
    "many-frames.gif": "animation is too big",
    "huge.png": "too many pixels",
    "progressive.jpg": "too many pixels",
    "huge.webp": "too many pixels",
    "huge.avif": "too many pixels",
}


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    subprocess.run([sys.executable, str(Path(__file__).with_name("bombs.py")), str(folder)], check=True)
    return folder


def _status_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def peak_growth_mb(action):
    """Run `action()` in a forked child; return (its result, the child's peak RSS growth in MB)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, report, leave without running any cleanup of the parent's
        code = 1
        try:
            os.close(read)
            ctypes.CDLL("libc.so.6").malloc_trim(0)
            Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
            before = _status_kb("VmRSS")
            result = action()
            growth = (_status_kb("VmHWM") - before) / 1024
            os.write(write, json.dumps([result, growth]).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and data, "the measuring child failed"
    return json.loads(data)


def _post(client, url, data):
    response = client.post(url, data)
    return [response.status_code, response.content.decode()]


def test_the_measure_sees_pillow_allocations():
    def allocate():
        image = Image.new("RGB", (6000, 6000), (1, 2, 3))  # 108 MB in Pillow's C heap
        return image.size[0]

    _, growth = peak_growth_mb(allocate)
    assert growth > 100


@pytest.mark.parametrize("name", BOMBS)
def test_avatar_bombs_are_refused_in_little_memory(bombs, member_client, name):
    upload = SimpleUploadedFile(name, (bombs / name).read_bytes())
    data = {"display_name": "Bomb", "bio": "", "birthday": "", "marketing_consent": "", "avatar_upload": upload}
    (status, html), growth = peak_growth_mb(lambda: _post(member_client, reverse("members:profile_edit"), data))
    assert status == 400 and BOMBS[name] in html
    assert growth < LIMIT_MB, f"{name}: {growth:.0f} MB"


@pytest.mark.parametrize("name", BOMBS)
def test_forum_picture_bombs_are_refused_in_little_memory(bombs, client, member, name):
    category = Category.objects.create(name="Care", slug="care")
    topic = topic_create(member, category, title="How do I wash linen?", body="Cold or warm water?")
    client.force_login(member)
    upload = SimpleUploadedFile(name, (bombs / name).read_bytes())
    data = {"body": "Look at this", "picture": upload}
    url = reverse("forum:reply", kwargs={"pk": topic.pk})
    (status, html), growth = peak_growth_mb(lambda: _post(client, url, data))
    assert status == 400 and BOMBS[name] in html
    assert growth < LIMIT_MB, f"{name}: {growth:.0f} MB"
    assert not Upload.objects.exists()
