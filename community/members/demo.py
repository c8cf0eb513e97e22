"""Demo members for `manage.py load_demo`. Idempotent: existing rows are left as they are."""

import io
import random
import secrets

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from .models import User

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


@transaction.atomic
def load(stdout):
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        password = secrets.token_urlsafe(12)
        admin = User.objects.create_superuser("admin", "admin@example.com", password, display_name="Community team")
        _verified_email(admin, "admin@example.com")
        stdout.write(f"Admin login: admin@example.com / {password}   (username admin; shown only this once)")
    else:
        stdout.write("Admin login: admin@example.com (password shown when it was created; "
                     "reset it with `.venv/bin/python manage.py changepassword admin`)")
    created = 0
    for username, name, email, bio, colour in DEMO_MEMBERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(username, email, "demo-password-123", display_name=name, bio=bio)
        user.date_joined = timezone.now() - timezone.timedelta(days=30 + created * 47)
        user.avatar.save(f"{username}.webp", avatar_image(username, colour), save=False)
        user.save()
        _verified_email(user, email)
        created += 1
    stdout.write(f"Demo members: {created} created, {len(DEMO_MEMBERS) - created} already there "
                 "(each signs in with the password demo-password-123)")
