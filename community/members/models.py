import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.reverse import reverse_kept

from .notification_kinds import CODE_MAX_LENGTH
from .validators import MemberUsernameValidator, is_site_path, validate_username_not_retired


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
        validators=[MemberUsernameValidator(), validate_username_not_retired],
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
    # The avatar's responsive renditions, once the background task has made them (core.renditions).
    avatar_renditions = models.JSONField(default=dict, blank=True, editable=False)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    # The language the member reads the site and e-mails in (community.members.i18n); empty means
    # the site's default language.
    language = models.CharField(_("language"), max_length=12, blank=True, choices=settings.LANGUAGES)
    # Marketing consent is not kept here: the newsletter's subscriptions are its one record
    # (community.members.consent).
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
        return reverse_kept("members:profile", username=self.username)


class Notification(models.Model):
    """Something a member should know about, shown at /me/notifications/ and, batched, by e-mail.

    source_key names the event that caused it (such as "forum:post:123:mention:45"); the unique
    constraint on (recipient, source_key) makes sending the same event twice a no-op.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=CODE_MAX_LENGTH)  # a code from notification_kinds
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("actor"),
    )
    url = models.CharField(_("link"), max_length=500, help_text=_("A path on this site, starting with /."))
    title = models.CharField(_("title"), max_length=200)
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True)
    source_key = models.CharField(_("source"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "source_key"], name="notification_once_per_source"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title

    @property
    def is_unread(self):
        return self.read_at is None

    @property
    def safe_url(self):
        """The link, if it is a path on this site; otherwise the notifications list."""
        return self.url if is_site_path(self.url) else reverse("members:notifications")


class NotificationPreference(models.Model):
    """A member's choice for one kind of notification. No row means the kind's default."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=CODE_MAX_LENGTH)  # a code from notification_kinds
    in_app = models.BooleanField(_("on the site"), default=True)
    email = models.BooleanField(_("by e-mail"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="notification_preference_once_per_kind")]

    def __str__(self):
        return f"{self.member_id} {self.kind}"


class ReservedUsername(models.Model):
    """The username of a deleted account, which nobody may take again: old @mentions and links
    to the profile must never lead to a newcomer. Only a keyed hash of the name is kept (see
    community.members.selectors.username_hash), so the name itself is erased with the account."""

    name_hash = models.CharField(_("name (keyed hash)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("reserved at"), default=timezone.now)

    class Meta:
        verbose_name = _("reserved username")
        verbose_name_plural = _("reserved usernames")

    def __str__(self):
        return self.name_hash[:12]
