import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.moderation.services import moderator_grant
from community.reviews.models import ReviewAttribute
from tests.factories import MemberFactory, OrderFactory, ProductFactory


def _old(member):
    member.date_joined = member.date_joined.replace(year=2020)
    member.save(update_fields=["date_joined"])
    return member


@pytest.fixture
def alice(db):
    return _old(MemberFactory(username="alice", display_name="Alice"))


@pytest.fixture
def bob(db):
    return _old(MemberFactory(username="bob", display_name="Bob"))


@pytest.fixture
def moderator(db):
    member = _old(MemberFactory(username="mod", display_name="Mod"))
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    moderator_grant(member)
    return member


@pytest.fixture
def product(db):
    return ProductFactory(name="Linen shirt", slug="linen-shirt", product_type="Shirts")


@pytest.fixture
def fit(db):
    return ReviewAttribute.objects.create(product_type="Shirts", code="fit", label="Fit", kind="scale",
                                          low_label="Runs small", high_label="Runs large")


@pytest.fixture
def bought(alice, product):
    """Alice's paid order of the product, under her verified address."""
    return OrderFactory(email=alice.email, lines=[product])


def png_upload(name="photo.png", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def review_data(**changes):
    return {"rating": "4", "title": "Good shirt", "body": "Soft linen, washes well.", **changes}
