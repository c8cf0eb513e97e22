"""The forum in the Wagtail admin: its categories under the "Forum" menu, for moderators only.
The queue, the log and suspensions are community.moderation's (tests/moderation/)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from community.forum.models import Category
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

CATEGORIES = "/admin/snippets/forum/category/"
CATEGORY_LIST_QUERIES = 10  # + the brand setting and the Loyalty and Reviews menus


@pytest.fixture
def chief(db):
    return MemberFactory(username="chief", display_name="Chief moderator", is_staff=True, is_superuser=True)


@pytest.fixture
def mod_client(client, chief):
    client.force_login(chief)
    return client


def _admin_only_member():
    """Not staff, so no moderator, though the Wagtail admin lets them in."""
    member = MemberFactory(username="editor")
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return member


@pytest.mark.parametrize("who, location", [
    ("admin_user_not_moderator", "home"), ("member", "login"), ("anonymous", "login"),
])
def test_non_moderators_cannot_open_categories(client, category, bob, who, location):
    user = {"admin_user_not_moderator": _admin_only_member(), "member": bob, "anonymous": None}[who]
    if user is not None:
        client.force_login(user)
    for url in (CATEGORIES, f"{CATEGORIES}edit/{category.pk}/"):
        response = client.get(url)
        assert response.status_code == 302, url
        if location == "home":
            assert response["Location"] == reverse("wagtailadmin_home")
        else:
            assert response["Location"].startswith(f'{reverse("account_login")}?next=')
    response = client.post(f"{CATEGORIES}edit/{category.pk}/", {"name": "Hijacked", "slug": "care", "colour": "#0f5c4d",
                                                                 "position": 2})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Care and repair"


def test_menu_shows_the_forum_group_to_moderators_only(client, chief):
    client.force_login(chief)
    assert CATEGORIES in client.get("/admin/").content.decode()
    client.force_login(_admin_only_member())
    assert CATEGORIES not in client.get("/admin/").content.decode()


def test_moderators_edit_categories_in_the_forum_group(mod_client, category, assert_queries):
    response = mod_client.get(CATEGORIES)
    assert response.status_code == 200 and "Care and repair" in response.content.decode()
    response = mod_client.get(f"{CATEGORIES}edit/{category.pk}/")
    assert response.status_code == 200
    response = mod_client.post(f"{CATEGORIES}edit/{category.pk}/", {
        "name": "Care and mending", "slug": "care", "description": "", "colour": "#0f5c4d", "position": 2,
    })
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Care and mending"

    def grow():
        for n in range(8):
            Category.objects.create(name=f"Sub {n}", slug=f"sub-{n}", parent=category)

    assert_queries(CATEGORY_LIST_QUERIES, lambda: mod_client.get(CATEGORIES), grow=grow)
