import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.moderation.services import moderator_grant
from community.posts import services
from core.images import image_process
from tests.factories import MemberFactory


def image_bytes(fmt="JPEG", size=(64, 48), colour=(200, 80, 40), **options):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt, **options)
    return out.getvalue()


def upload(name="photo.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type=content_type)


def processed(data=None):
    return image_process(upload(data=data), "post_photo").content


def make_post(author, caption="A day out #summer", photos=1, **kwargs):
    return services.post_create(author, caption=caption,
                                photos=[(processed(), f"Photo {i} of a red square") for i in range(photos)], **kwargs)


def _old_member(**kwargs):
    member = MemberFactory(**kwargs)
    member.date_joined = member.date_joined.replace(year=2020)
    member.save(update_fields=["date_joined"])
    return member


@pytest.fixture
def alice(db):
    return _old_member(username="alice", display_name="Alice")


@pytest.fixture
def bob(db):
    return _old_member(username="bob", display_name="Bob")


@pytest.fixture
def moderator(db):
    return moderator_grant(MemberFactory(username="mod", display_name="Moderator", is_staff=True))
