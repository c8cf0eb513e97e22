"""A demo moderator for `manage.py load_demo`: staff in the "Moderators" group, so the Moderation
menu can be tried without the superuser. Idempotent."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from .services import moderator_grant

USERNAME, EMAIL = "moderator", "moderator@example.com"


@transaction.atomic
def load(stdout):
    User = get_user_model()
    member = User.objects.filter(username=USERNAME).first()
    if member is None:
        member = User.objects.create_user(USERNAME, EMAIL, "demo-password-123", display_name="Community moderator")
        EmailAddress.objects.get_or_create(user=member, email=EMAIL, defaults={"verified": True, "primary": True})
    moderator_grant(member)
    stdout.write(f"Demo moderator: {EMAIL} (password demo-password-123), in the Moderators group")
