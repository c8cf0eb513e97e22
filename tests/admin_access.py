"""What the Wagtail admin answers when someone may not do something, stated exactly.

- Without admin access (a member, or a visitor): 302 to the sign-in page, with `next` back.
- With admin access but without the permission a view needs: 302 to the admin dashboard,
  where Wagtail shows "Sorry, you do not have permission to access this area".
"""


def assert_sent_to_sign_in(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/accounts/login/?next=/admin/"), response["Location"]


def assert_admin_refused(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/admin/", response["Location"]
