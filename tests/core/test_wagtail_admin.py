"""core.wagtail_admin: read-only records in the Wagtail admin (shop orders use it)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from core.wagtail_admin import ReadOnlyPolicy
from shop.models import Order
from tests.factories import MemberFactory, OrderFactory

pytestmark = pytest.mark.django_db

# session, member, admin profile, COUNT, locales, two for the page tree (menu), the orders with
# their members joined (list_select_related): the same for 3 orders as for 8.
ORDERS_LIST_QUERIES = 8


@pytest.fixture
def superuser_client(client):
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    return client


def test_the_policy_allows_viewing_only():
    policy = ReadOnlyPolicy(Order)
    superuser = MemberFactory(is_staff=True, is_superuser=True)
    assert policy.user_has_permission(superuser, "view")
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission(superuser, action)
    assert not policy.user_has_any_permission(superuser, ["add", "change", "delete"])
    assert policy.user_has_any_permission(superuser, ["change", "view"])


def test_the_policy_still_needs_the_view_permission():
    staff = MemberFactory(is_staff=True)
    assert not ReadOnlyPolicy(Order).user_has_permission(staff, "view")
    staff.user_permissions.add(Permission.objects.get(codename="view_order"))
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached on the instance
    assert ReadOnlyPolicy(Order).user_has_permission(staff, "view")


def test_there_are_no_add_edit_copy_or_delete_views(superuser_client):
    order = OrderFactory()
    for name, args in (("add", []), ("edit", [order.pk]), ("copy", [order.pk]), ("delete", [order.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"shop_order:{name}", args=args)
    for url in (f"/admin/shop_order/edit/{order.pk}/", f"/admin/shop_order/delete/{order.pk}/",
                f"/admin/shop_order/copy/{order.pk}/", "/admin/shop_order/new/"):
        assert superuser_client.get(url).status_code == 404
        assert superuser_client.post(url).status_code == 404
    assert Order.objects.filter(pk=order.pk).exists()
    page = superuser_client.get(reverse("shop_order:index")).content.decode()
    assert reverse("shop_order:inspect", args=[order.pk]) in page
    assert "/admin/shop_order/new/" not in page


def test_the_orders_list_is_a_fixed_number_of_queries(superuser_client, assert_queries):
    for _ in range(3):
        OrderFactory(member=MemberFactory())
    url = reverse("shop_order:index")
    superuser_client.get(url)  # warm the admin's own caches (site, menu)

    def more_orders():
        for _ in range(5):
            OrderFactory(member=MemberFactory())

    response = assert_queries(ORDERS_LIST_QUERIES, lambda: superuser_client.get(url), grow=more_orders, keep_cache=True)
    assert response.status_code == 200

