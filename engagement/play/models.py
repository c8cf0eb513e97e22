"""Badges, seasonal challenges and the support timings.

Badges. A Badge is either a rule badge (one per rule in rules.RULES, computed from what the member
did) or a manual one an editor awards. A BadgeAward is unique per (badge, member): a rule that is
met again, or twice at once, awards nothing more.

Challenges. Editors define a Challenge (dates, goal kind and count, points). A member joins
(ChallengeEntry, unique per challenge and member). Each event that counts is a ChallengeStep,
unique per (entry, source key), so a replayed event counts once; `progress` is an F() counter of the
steps, and `completed_at` is set by one conditional update, after which the points are paid through
the loyalty ledger under the key `play:challenge:<challenge>:<member>` (unique there too).

Support. SupportSettings names the forum category where members ask the team; a SupportQuestion
per topic there records when it was asked and when staff first answered.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .rules import RULES, Rule


class Badge(models.Model):
    rule = models.CharField(_("rule"), max_length=32, choices=Rule.choices, default=Rule.MANUAL,
                            help_text=_("Rule badges are awarded by the site; manual ones by editors."))
    name = models.CharField(_("name"), max_length=80, blank=True,
                            help_text=_("Leave empty on a rule badge to use its translated name."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("image"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text=_("Square, at least 128 pixels. Shown on the member's profile."))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("An inactive badge is no longer awarded nor shown."))
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Lower comes first."))

    panels = [FieldPanel("rule"), FieldPanel("name"), FieldPanel("description"), FieldPanel("image"),
              FieldRowPanel([FieldPanel("active"), FieldPanel("position")])]

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.UniqueConstraint(fields=["rule"], condition=~Q(rule="manual"), name="play_badge_rule_once"),
        ]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        if self.name:
            return self.name
        spec = RULES.get(self.rule)
        return spec.label if spec else _("Badge")

    @property
    def explanation(self):
        if self.description:
            return self.description
        spec = RULES.get(self.rule)
        return spec.description if spec else ""

    def clean(self):
        if self.rule == Rule.MANUAL and not self.name.strip():
            raise ValidationError({"name": _("A manual badge needs a name.")})


class BadgeAward(models.Model):
    badge = models.ForeignKey(Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="awards")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="badge_awards")
    awarded_at = models.DateTimeField(_("awarded at"), default=timezone.now)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("awarded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["awarded_at", "pk"]
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        constraints = [models.UniqueConstraint(fields=["badge", "member"], name="play_badge_award_once")]
        indexes = [models.Index(fields=["member", "awarded_at"], name="play_award_member")]

    def __str__(self):
        return f"{self.badge} → {self.member}"


class Goal(models.TextChoices):
    PHOTO_POSTS = "photo_posts", _("photo posts with the hashtag")
    REVIEWS = "reviews", _("published reviews")
    SOLVED_ANSWERS = "solved_answers", _("forum answers marked as the solution")


class ChallengeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def open_at(self, moment):
        return self.published().filter(starts_at__lte=moment, ends_at__gt=moment)


class Challenge(models.Model):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True,
                            help_text=_("The address: /challenges/<slug>/."))
    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    hero_image = models.ForeignKey("wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("Landscape, at least 1280 pixels wide."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    goal = models.CharField(_("goal"), max_length=16, choices=Goal.choices)
    goal_count = models.PositiveIntegerField(_("how many"), default=3,
                                             validators=[MinValueValidator(1), MaxValueValidator(1000)])
    hashtag = models.CharField(_("hashtag"), max_length=100, blank=True,
                               help_text=_("For photo posts: the hashtag they carry, without #."))
    points = models.PositiveIntegerField(_("points on completion"), default=100,
                                         validators=[MaxValueValidator(100000)])
    leaderboard = models.BooleanField(_("leaderboard"), default=True,
                                      help_text=_("Members who opt in are listed by display name."))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ChallengeQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
        FieldPanel("intro"), FieldPanel("hero_image"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        MultiFieldPanel([FieldRowPanel([FieldPanel("goal"), FieldPanel("goal_count")]), FieldPanel("hashtag"),
                         FieldPanel("points")], heading=_("Goal")),
        FieldRowPanel([FieldPanel("leaderboard"), FieldPanel("published")]),
    ]

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="play_challenge_ends_after_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("play:challenge", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A challenge ends after it starts.")
        self.hashtag = self.hashtag.strip().lstrip("#")
        if self.goal == Goal.PHOTO_POSTS and not self.hashtag:
            errors["hashtag"] = _("A photo challenge needs a hashtag.")
        if errors:
            raise ValidationError(errors)

    def is_open(self, moment=None):
        moment = moment or timezone.now()
        return self.published and self.starts_at <= moment < self.ends_at


class ChallengeEntry(models.Model):
    challenge = models.ForeignKey(Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE,
                                  related_name="entries")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="challenge_entries")
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    on_leaderboard = models.BooleanField(_("on the leaderboard"), default=False)

    class Meta:
        ordering = ["-joined_at"]
        verbose_name = _("challenge entry")
        verbose_name_plural = _("challenge entries")
        constraints = [models.UniqueConstraint(fields=["challenge", "member"], name="play_entry_once")]
        indexes = [models.Index(fields=["challenge", "-progress", "completed_at"], name="play_entry_board")]

    def __str__(self):
        return f"{self.member} in {self.challenge}"


class ChallengeStep(models.Model):
    """One event that counted towards an entry (append-only)."""

    entry = models.ForeignKey(ChallengeEntry, on_delete=models.CASCADE, related_name="steps")
    source_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "source_key"], name="play_step_once")]

    def __str__(self):
        return self.source_key


@register_setting(icon="help")
class SupportSettings(BaseGenericSetting):
    ask_category = models.ForeignKey(
        "forum.Category", verbose_name=_("“Ask the team” category"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Questions asked here are timed until a staff member first answers."))

    panels = [FieldPanel("ask_category")]

    class Meta:
        verbose_name = _("support")


class SupportQuestion(models.Model):
    topic = models.OneToOneField("forum.Topic", verbose_name=_("topic"), on_delete=models.CASCADE,
                                 related_name="support_question")
    asked_at = models.DateTimeField(_("asked at"))
    first_answer = models.ForeignKey("forum.Post", verbose_name=_("first staff answer"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    first_answer_at = models.DateTimeField(_("first staff answer at"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("support question")
        verbose_name_plural = _("support questions")
        indexes = [models.Index(fields=["asked_at"], name="play_support_asked")]

    def __str__(self):
        return str(self.topic)

    @property
    def waited(self):
        return (self.first_answer_at - self.asked_at) if self.first_answer_at else None
