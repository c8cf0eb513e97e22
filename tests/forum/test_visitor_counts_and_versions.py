"""Faults found when the forum was tried as a user would (issue 10, part 4): counts shown to a
visitor are counts of what that visitor may see, and a log-in does not empty the forum's cache."""

import pytest
from django.urls import reverse

from community.forum.cache import LISTS_SCOPE, forum_version, member_scope
from community.forum.models import Category
from core.versions import version_get
from tests.factories import PASSWORD, MemberFactory
from tests.forum.test_queries import grow_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_with_private_child(category, alice):
    lounge = Category.objects.create(name="Insiders", slug="insiders", parent=category, members_only=True)
    grow_category(category, alice, 5)
    # Enough members-only topics for a second page, were they counted for a visitor.
    grow_category(lounge, alice, 40)
    return lounge


def test_visitor_sees_one_page_and_no_members_only_total(client, category, public_with_private_child):
    response = client.get(reverse("forum:category", kwargs={"slug": category.slug}))
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == 5
    assert page.paginator.num_pages == 1
    assert "Page 1 of 2" not in response.content.decode()
    assert client.get(reverse("forum:category", kwargs={"slug": category.slug}), {"page": 2}).status_code == 404


def test_member_sees_the_sub_category_topics_counted(client, category, public_with_private_child, bob):
    client.force_login(bob)
    page = client.get(reverse("forum:category", kwargs={"slug": category.slug})).context["page_obj"]
    assert page.paginator.count == 45
    assert page.paginator.num_pages == 2
    assert client.get(reverse("forum:category", kwargs={"slug": category.slug}), {"page": 2}).status_code == 200


def test_logging_in_leaves_the_forum_versions_alone(client):
    member = MemberFactory()
    before = [forum_version(), version_get(member_scope(member.pk)), version_get(LISTS_SCOPE)]
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(member.pk)
    assert [forum_version(), version_get(member_scope(member.pk)), version_get(LISTS_SCOPE)] == before


@pytest.mark.parametrize("field, value", [("display_name", "Someone new"), ("is_active", False)])
def test_what_posts_show_of_a_member_moves_that_members_scope_and_the_lists_only(field, value):
    member, other = MemberFactory(), MemberFactory()
    before = [version_get(member_scope(member.pk)), version_get(LISTS_SCOPE)]
    untouched = [forum_version(), version_get(member_scope(other.pk))]
    setattr(member, field, value)
    member.save(update_fields=[field])
    after = [version_get(member_scope(member.pk)), version_get(LISTS_SCOPE)]
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert [forum_version(), version_get(member_scope(other.pk))] == untouched
