import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validators import MemberUsernameValidator


def avatar_upload_to(instance, filename):
    # A fresh random name per upload: nothing about the member or the original file leaks into
    # the URL, and a cached old avatar is never served for a new one.
    return f"avatars/{uuid.uuid4().hex}.webp"


class MemberManager(UserManager):
    def active(self):
        return self.filter(is_active=True, deleted_at__isnull=True)


class User(AbstractUser):
    """A member. Sign-in is by e-mail (django-allauth); the username names the profile URL.

    Profile fields live on this row, so a page that shows a member needs no extra query. A deleted
    account keeps its row as a tombstone (deleted_at set, personal data wiped) so that what others
    need, such as forum replies, still points somewhere and shows "deleted member".
    """

    username = models.CharField(
        _("username"),
        max_length=30,
        unique=True,
        validators=[MemberUsernameValidator()],
        help_text=_("3 to 30 letters, digits, dots, hyphens or underscores, in any script."),
        error_messages={"unique": _("That username is taken.")},
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    bio = models.TextField(_("short bio"), max_length=500, blank=True)
    avatar = models.ImageField(
        _("avatar"), upload_to=avatar_upload_to, blank=True, width_field="avatar_width", height_field="avatar_height"
    )
    avatar_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    avatar_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    marketing_consent_at = models.DateTimeField(
        _("marketing consent given at"), null=True, blank=True,
        help_text=_("When the member agreed to marketing e-mails; empty when they have not."),
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)

    objects = MemberManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return self.public_name

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def public_name(self):
        if self.is_deleted:
            return str(_("Deleted member"))
        return self.display_name or self.username

    @property
    def initial(self):
        name = self.public_name.strip()
        return name[:1].upper() if name else "?"

    def get_absolute_url(self):
        return reverse("members:profile", kwargs={"username": self.username})
