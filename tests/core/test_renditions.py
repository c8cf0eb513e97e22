"""core.renditions and core.tasks: renditions made in the background at the widths a use asks for,
never scaled up, shown through <picture>, and deleted with their master."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.renditions import picture_html, rendition_formats, rendition_name, rendition_widths, renditions_make
from core.tasks import renditions_build

pytestmark = pytest.mark.django_db


def png(size, colour=(15, 92, 77)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def test_avif_and_webp_are_written_when_pillow_can():
    assert rendition_formats()[-1] == "webp"
    assert ("avif" in rendition_formats()) == __import__("PIL.features").features.check("avif")


@pytest.mark.parametrize("master, widths, expected", [
    (1600, (320, 640, 1080, 1600), [320, 640, 1080, 1600]),
    (1200, (320, 640, 1080, 1600), [320, 640, 1080, 1200]),
    (500, (320, 640, 1080, 1600), [320, 500]),
    (200, (320, 640), [200]),  # never scaled up
    (512, (96, 192, 384), [96, 192, 384, 512]),
])
def test_widths(master, widths, expected):
    assert rendition_widths(master, widths) == expected


def test_renditions_are_written_at_their_sizes(settings):
    name = default_storage.save("forum/master.webp", io.BytesIO(png((900, 600))))
    manifest = renditions_make(default_storage, name, (320, 640, 1080))
    assert manifest == {"widths": [320, 640, 900], "formats": list(rendition_formats())}
    for width in manifest["widths"]:
        for fmt in manifest["formats"]:
            with default_storage.open(rendition_name(name, width, fmt)) as handle, Image.open(handle) as image:
                assert image.format == fmt.upper() and image.size == (width, round(600 * width / 900))


def test_picture_markup_and_its_fallback():
    html = picture_html(default_storage, "forum/ab.webp", 900, 600, {"widths": [320, 900], "formats": ["avif", "webp"]},
                        alt='A "linen" shirt', sizes="100vw")
    assert html == (
        '<picture><source type="image/avif" srcset="/media/forum/ab.320w.avif 320w, /media/forum/ab.900w.avif 900w" '
        'sizes="100vw"><source type="image/webp" srcset="/media/forum/ab.320w.webp 320w, /media/forum/ab.900w.webp 900w" '
        'sizes="100vw"><img src="/media/forum/ab.webp" alt="A &quot;linen&quot; shirt" width="900" height="600" '
        'loading="lazy" decoding="async"></picture>'
    )
    assert picture_html(default_storage, "forum/ab.webp", 900, 600, {}) == (
        '<img src="/media/forum/ab.webp" alt="" width="900" height="600" loading="lazy" decoding="async">')


def avatar_post(client, data):
    return client.post(reverse("members:profile_edit"), {"display_name": "Åsne", "bio": "", "birthday": "",
                                                          "marketing_consent": "",
                                                          "avatar_upload": SimpleUploadedFile("me.png", data)})


def test_an_avatar_gets_its_renditions_and_pages_show_them(member_client, django_capture_on_commit_callbacks):
    member = member_client.member
    with django_capture_on_commit_callbacks(execute=True):
        avatar_post(member_client, png((900, 700)))
    member.refresh_from_db()
    assert member.avatar_renditions == {"widths": [96, 192, 384, 512], "formats": list(rendition_formats())}
    html = member_client.get(member.get_absolute_url()).content.decode()
    stem = member.avatar.url.removesuffix(".webp")
    assert f'<source type="image/webp" srcset="{stem}.96w.webp 96w, {stem}.192w.webp 192w' in html
    assert 'sizes="128px"' in html
    assert (f'<img src="{member.avatar.url}" alt="" width="128" height="128" loading="lazy" decoding="async" '
            'class="avatar avatar--l"></picture>') in html


def test_until_they_are_made_the_master_shows(member_client):
    member = member_client.member
    avatar_post(member_client, png((300, 300)))  # in the test's transaction: the task never runs
    member.refresh_from_db()
    assert member.avatar_renditions == {}
    html = member_client.get(member.get_absolute_url()).content.decode()
    assert "<picture>" not in html
    assert f'<img src="{member.avatar.url}" alt="" width="128" height="128" loading="lazy" decoding="async"' in html


def test_a_new_avatar_deletes_the_old_one_and_its_renditions(member_client, django_capture_on_commit_callbacks):
    member = member_client.member
    with django_capture_on_commit_callbacks(execute=True):
        avatar_post(member_client, png((600, 600)))
    member.refresh_from_db()
    folder, first = Path(member.avatar.path).parent, member.avatar.name
    assert len(list(folder.iterdir())) == 1 + 4 * len(rendition_formats())
    with django_capture_on_commit_callbacks(execute=True):
        avatar_post(member_client, png((600, 600), colour=(200, 0, 0)))
    member.refresh_from_db()
    assert member.avatar.name != first
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(first.split("/")[1].split(".")[0])) == []
    assert len(list(folder.iterdir())) == 1 + 4 * len(rendition_formats())


def test_a_task_for_a_replaced_file_records_nothing(member):
    name = default_storage.save("avatars/old.webp", io.BytesIO(png((512, 512))))
    type(member).objects.filter(pk=member.pk).update(avatar="avatars/current.webp", avatar_width=512, avatar_height=512)
    assert renditions_build.call("members.User", member.pk, "avatar", "avatar_renditions", "avatar", name) is None
    assert type(member).objects.values_list("avatar_renditions", flat=True).get(pk=member.pk) == {}
    assert not default_storage.exists(rendition_name(name, 96, "webp"))


def test_the_avatar_limit_is_counted_before_decoding(member_client, settings):
    settings.IMAGE_USES = {"avatar": {"uploads_per_hour": 2}}
    for _ in range(2):
        assert avatar_post(member_client, b"not even an image").status_code == 400
    response = avatar_post(member_client, png((100, 100)))
    assert response.status_code == 400 and "many times in the last hour" in response.content.decode()


def test_a_jpeg_fallback_when_the_use_asks_for_one(settings):
    from core.renditions import renditions_delete

    name = default_storage.save("posts/master.jpg", io.BytesIO(png((1400, 700), colour=(200, 30, 30))))
    manifest = renditions_make(default_storage, name, (320, 640), fallback_width=1080)
    assert manifest["fallback"] == 1080 and manifest["widths"] == [320, 640, 1400]
    with default_storage.open(rendition_name(name, 1080, "jpg")) as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and image.size == (1080, 540) and not image.getexif()
    html = picture_html(default_storage, name, 1400, 700, manifest)
    assert '<img src="/media/posts/master.1080w.jpg"' in html and 'type="image/webp"' in html
    assert renditions_make(default_storage, name, (320,), fallback_width=2000)["fallback"] == 1400  # never scaled up
    renditions_delete(default_storage, name, {**manifest, "fallback": 1400})
    renditions_delete(default_storage, name, manifest)
    assert not default_storage.exists(rendition_name(name, 1080, "jpg"))
    assert not default_storage.exists(rendition_name(name, 1400, "jpg"))
