"""Demo members for `manage.py load_demo`. Idempotent: existing rows are left as they are."""

import io
import random
import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from .models import User

ADMIN_USERNAME, ADMIN_EMAIL = "admin", "admin@example.com"
PASSWORD = "demo-password-123"  # every demo account's but the admin's, which is random
DEMO_MEMBERS = [
    # username, display name, e-mail, bio, colour
    ("eleni", "Ελένη Παπαδοπούλου", "eleni@example.com", "Θεσσαλονίκη. Linen everything, all year.", "#0f5c4d"),
    ("asne", "Åsne Solberg", "asne@example.com", "Bergen, where it rains 200 days a year. Outerwear nerd.", "#2d4a8a"),
    ("zoltan", "Zoltán Kovács", "zoltan@example.com", "Budapest. Runs before work, repairs what he wears.", "#8a3b12"),
    ("maya", "Maya Thompson", "maya@example.com", "Product designer in Leeds. Asks too many questions about fabric.", "#6b2d6b"),
    ("jonas", "Jonas Berg", "jonas@example.com", "", "#3f5f1f"),
]


def avatar_image(seed, colour, size=256):
    """A simple generated avatar: a coloured disc pattern, different per seed. No fonts needed."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        r = rnd.randint(size // 10, size // 3)
        x, y = rnd.randint(0, size), rnd.randint(0, size)
        shade = tuple(min(255, int(colour[i:i + 2], 16) + rnd.randint(40, 120)) for i in (1, 3, 5))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    out = io.BytesIO()
    img.save(out, format="WEBP", quality=80)
    return ContentFile(out.getvalue(), name=f"{seed}.webp")


def _verified_email(user, email):
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})


def _password_file():
    """Where the demo keeps the admin's random password, so that every `make run` can show it
    again: settings.DEMO_ADMIN_PASSWORD_FILE (a git-ignored file under var/ in development;
    unset, nothing is kept)."""
    path = getattr(settings, "DEMO_ADMIN_PASSWORD_FILE", None)
    return Path(path) if path else None


def _remember_admin_password(password):
    path = _password_file()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(password + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only folder: the password is still shown this once


def admin_password(admin):
    """The admin's demo password if it is still the one the demo made, else None (changed since,
    or not kept)."""
    path = _password_file()
    try:
        password = path.read_text(encoding="utf-8").strip() if path is not None else ""
    except OSError:
        return None
    return password if password and admin.check_password(password) else None


def sign_in_details(new_admin_password=None):
    """(who, e-mail, password or None) of the demo's admin and members that exist, for the end of
    `manage.py load_demo`: the admin's password is the one `load` just made, or the kept one."""
    details = []
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is not None:
        details.append(("admin", admin.email, new_admin_password or admin_password(admin)))
    members = dict(User.objects.filter(username__in=[m[0] for m in DEMO_MEMBERS]).values_list("username", "email"))
    details += [("member", members[m[0]], PASSWORD) for m in DEMO_MEMBERS if m[0] in members]
    return details


@transaction.atomic
def load(stdout):
    """Make the admin and the demo members that are missing; returns the admin's password if this
    run made the admin, else None."""
    password = None
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        password = secrets.token_urlsafe(12)
        admin = User.objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, password, display_name="Community team")
        _verified_email(admin, ADMIN_EMAIL)
        _remember_admin_password(password)
        stdout.write("Demo admin: created (its log-in is shown at the end)")
    created = 0
    for username, name, email, bio, colour in DEMO_MEMBERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(username, email, PASSWORD, display_name=name, bio=bio)
        user.date_joined = timezone.now() - timezone.timedelta(days=30 + created * 47)
        user.avatar.save(f"{username}.webp", avatar_image(username, colour), save=False)
        user.save()
        _verified_email(user, email)
        created += 1
    stdout.write(f"Demo members: {created} created, {len(DEMO_MEMBERS) - created} already there")
    return password
