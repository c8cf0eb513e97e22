"""Who may see the subscriber list: staff with the model's view permission."""


def can_view_subscribers(user):
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm("newsletter.view_subscriber"))
