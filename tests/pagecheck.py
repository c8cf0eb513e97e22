"""The pages every markup check covers, a runner for the Nu HTML checker (vnu) and axe helpers.

Both the Nu HTML checker test (tests/website/test_html_valid.py) and the browser walk
(tests/browser/test_page_walk.py: axe, the policies, reflow) read the lists below, so a page added
here is checked by both.
A path may hold "{username}": it is filled in with the fixture member's username; and the names
a setup returns (the forum's "{topic}", "{own_post}", ...), once prepare() has run.
"""

import importlib.resources
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / ".cache" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class Page:
    path: str
    status: int = 200
    marker: str = ""  # text the HTML must contain, so the check sees the variant it means to
    needs: str = ""  # a name in SETUPS: data the page needs beyond the page member
    def url(self, username=""):
        return self.path.format(username=username, **PLACEHOLDERS)

    @property
    def slug(self):
        """A file-name-safe name for the page, used for test ids and rendered HTML files."""
        return re.sub(r"[^A-Za-z0-9]+", "-", self.path).strip("-") or "home"


# Seen by an anonymous visitor.
PUBLIC_PAGES = [
    Page("/"),
    Page("/el/"),
    Page("/hu/"),
    Page("/nb/"),
    Page("/accounts/login/"),
    Page("/accounts/signup/"),
    Page("/accounts/password/reset/"),
    Page("/accounts/password/reset/done/"),
    Page("/accounts/confirm-email/"),  # "we have sent you an e-mail", after signing up
    Page("/search/"),
    Page("/search/?q=welcome", marker='class="results"'),  # needs index_live_pages()
    Page("/search/?q=no-such-words-anywhere"),
    Page("/search/?q=welcome&type=page", marker="search-filters"),
    Page("/members/{username}/", marker='class="avatar avatar--l"'),  # the <img> of its <picture>
    Page("/products/", marker="Λινό πουκάμισο"),
    Page("/products/λινό-πουκάμισο/", marker="Buy in the shop"),
    Page("/no-such-page/", status=404),
    # The blog of tests/content/blog_fixtures.py.
    Page("/blog/", marker="Linen story 10", needs="blog"),
    Page("/blog/?page=2", marker="Linen story 0", needs="blog"),
    Page("/blog/tag/λινό/", needs="blog"),
    Page("/blog/category/care/", needs="blog"),
    Page("/blog/linen-story-5/", marker="application/ld+json", needs="blog"),
    Page("/blog/tag/no-such-tag/", status=404, needs="blog"),
    Page("/newsletter/subscribe/"),
    Page("/newsletter/check-your-inbox/"),
    # The brand story, lookbooks and members-only page of tests/content/page_fixtures.py.
    Page("/?with=pages", marker="featured-lookbook", needs="pages"),
    Page("/about/", marker='class="timeline"', needs="pages"),
    Page("/lookbooks/", marker="Winter wool", needs="pages"),
    Page("/lookbooks/summer-linen/", marker="Shop the look", needs="pages"),
    # Pictures' alt texts in the page's language, and the English one marked lang="en" where there is none.
    Page("/el/about/", marker="Το πρώτο εργαστήριο: ένα απλό ορθογώνιο", needs="pages"),
    Page("/nb/about/", marker="Story hero: a plain rectangle", needs="pages"),
    Page("/lookbooks/winter-wool/", needs="pages"),
    Page("/in-the-studio/", marker="members-gate", needs="pages"),
    # The forum of tests/forum/fixtures.py.
    Page("/forum/", marker="Care and repair", needs="forum"),
    Page("/forum/latest/", marker="Moth holes", needs="forum"),
    Page("/forum/unanswered/", needs="forum"),
    Page("/forum/solved/", needs="forum"),
    Page("/forum/c/care/", marker="topic-row", needs="forum"),
    Page("/forum/t/{topic}/", marker="DiscussionForumPosting", needs="forum"),
    Page("/forum/c/lounge/", status=404, marker="This part of the forum is for members", needs="forum"),
    Page("/forum/tags/linen/", marker="Topics tagged", needs="forum"),
    # The photo posts of _posts() below.
    Page("/posts/", marker="photo-card", needs="posts"),
    Page("/posts/popular/", marker="photo-card", needs="posts"),
    Page("/tags/καλοκαίρι/", marker="photo-grid", needs="posts"),
    Page("/tags/no-such-tag/", status=404),
    Page("/posts/{photo_post}/", marker="SocialMediaPosting", needs="posts"),
    Page("/posts/by/{username}/", marker="photo-grid", needs="posts"),
    Page("/members/{username}/?with=posts", marker="photo-grid-member", needs="posts"),
    Page("/search/?q=καλοκαίρι", marker="Photo post", needs="posts"),
    # Photo posts off the wall and the campaigns, of tests/posts/showcase_fixtures.py.
    Page("/posts/campaigns/", marker="Coming soon", needs="showcase"),
    Page("/posts/campaigns/{campaign}/", marker="data-countdown", needs="showcase"),
    Page("/posts/campaigns/no-such-campaign/", status=404),
    Page("/?with=showcase", marker="From our members", needs="showcase"),
    Page("/products/λινό-πουκάμισο/?with=showcase", marker="Seen on members", needs="showcase"),
    Page("/members-gallery/", marker="With the shirt", needs="showcase"),
    # A member's referral landing page, and an unknown code's.
    Page("/r/{ref_code}/welcome/", marker="invites you", needs="referral"),
    Page("/el/r/{ref_code}/welcome/", needs="referral"),
    Page("/r/NOSUCHCD/welcome/", status=404),
    # Reviews of tests/reviews/fixtures.py on the page member's product: summary, bars, answers,
    # photos and their viewer, badges, the brand's reply; a filtered list; a reviewer's profile.
    Page("/products/λινό-πουκάμισο/?with=reviews", marker="rating-bar__fill", needs="reviews"),
    Page("/products/λινό-πουκάμισο/?rating=5&photos=1&sort=helpful", marker="verified-badge", needs="reviews"),
    Page("/products/λινό-πουκάμισο/?rating=2", marker="No reviews match", needs="reviews"),
    Page("/products/?with=reviews", marker="stars-summary", needs="reviews"),
    Page("/members/{reviewer}/", marker="member-reviews", needs="reviews"),
    # A review-request e-mail's links (tests/reviews/test_requests_links.py has every state).
    Page("/products/{rl_slug}/review/link/{rl_token}/", marker="You’re reviewing", needs="review_link"),
    Page("/products/{rl_slug}/review/link/{rl_expired}/", status=410, marker="too old", needs="review_link"),
    Page("/products/{rl_slug}/review/link/forged/", status=400, marker="cut short", needs="review_link"),
    Page("/reviews/unsubscribe/{rl_unsub}/", marker="Stop e-mails asking for reviews", needs="review_link"),
    Page("/reviews/unsubscribe/forged/", status=400),
    # The home page with a "top reviews" section.
    Page("/?with=top-reviews", marker="top-reviews__item", needs="top_reviews"),
    # A photo post with comments, likes and its share links (posts-social).
    Page("/posts/{social_post}/", marker="Log in to comment", needs="posts_social"),
    # Challenges, badges beside names and on the profile, the help centre (tests/play/page_fixtures.py).
    Page("/challenges/", marker="Coming soon", needs="play"),
    Page("/challenges/{challenge}/", marker="challenge-board", needs="play"),
    Page("/forum/t/{ask_topic}/", marker="name-badge", needs="play"),
    Page("/members/{username}/?with=badges", marker="badge-list", needs="play"),
    Page("/help/", marker="help-ask", needs="play"),
    Page("/help/care/", marker="Wash at 30", needs="play"),
    Page("/products/λινό-πουκάμισο/?with=care", marker="care-link", needs="play"),
    Page("/search/?q=linen&type=help", marker="result__kind--help", needs="play"),
    # The survey pages a lifecycle e-mail's signed links open (tests/lifecycle/test_surveys.py has every
    # state and the POSTs): NPS and CSAT to confirm, an answered one with its comment form, an
    # expired, a forged and an out-of-scale link.
    Page("/surveys/{sv_nps}/9/", marker="Send my answer", needs="survey"),
    Page("/surveys/{sv_csat}/4/", marker="About your order #", needs="survey"),
    Page("/surveys/{sv_answered}/8/", marker='id="comment-help"', needs="survey"),
    Page("/surveys/{sv_expired}/5/", status=410, marker="too old", needs="survey"),
    Page("/surveys/forged/5/", status=400, marker="cut short"),
    Page("/surveys/{sv_nps}/11/", status=400, marker="not one of the survey", needs="survey"),
]

# Seen by the signed-in fixture member.
MEMBER_PAGES = [
    Page("/me/", marker='class="orders"'),
    Page("/me/profile/"),
    Page("/me/delete/"),
    Page("/accounts/email/"),
    Page("/accounts/password/change/"),
    Page("/accounts/logout/"),  # allauth's "are you sure?" page
    Page("/in-the-studio/", marker="members-content", needs="pages"),
    Page("/forum/", needs="forum"),
    Page("/forum/c/care/", marker="Watch new topics", needs="forum"),
    Page("/forum/t/{topic}/", marker="Post reply", needs="forum"),
    Page("/forum/new/", needs="forum"),
    Page("/forum/t/{topic_pk}/reply/?quote=2", marker="&gt; Cold water", needs="forum"),
    Page("/forum/p/{own_post}/edit/", needs="forum"),
    Page("/forum/p/{other_post}/report/", needs="forum"),
    Page("/forum/c/lounge/", needs="forum"),
    Page("/r/{ref_code}/welcome/", marker="already a member", needs="referral"),
    Page("/me/referrals/", marker="What came of it", needs="my_referrals"),
    Page("/me/points/", marker="Your points history", needs="my_points"),
    # /me/points/ with redemption options (one out of reach) and codes in every state
    Page("/me/points/?codes", marker="Your discount codes", needs="my_codes"),
    Page("/products/λινό-πουκάμισο/?as=member", marker="Edit your review", needs="reviews"),
    Page("/products/{review_product}/review/", marker="stars-input", needs="reviews"),
    Page("/reviews/{own_review}/edit/", marker="Remove photo 1", needs="reviews"),
    # Someone else's review link: not theirs, sign out to continue.
    Page("/products/{rl_slug}/review/link/{rl_token}/", status=403, marker="Sign out to continue", needs="review_link"),
    Page("/me/welcome/", marker="welcome-steps"),
    Page("/me/?with=challenges", marker="challenge-progress", needs="play"),
    # Another member's survey link, opened while signed in; and the page member's own.
    Page("/surveys/{sv_nps}/9/", status=403, marker="for another account", needs="survey"),
    Page("/surveys/{sv_own}/10/", marker="Send my answer", needs="survey"),
    Page("/challenges/{challenge}/?as=member", marker="Leave the leaderboard", needs="play"),
    # posts-social: a post of someone else (like, comment form, delete own comment, report), the
    # member's own rejected post with the reason, its rights page, a hashtag's follow button.
    Page("/posts/{social_post}/", marker="Post the comment", needs="posts_social"),
    Page("/posts/{social_rejected}/", marker="Not approved by a moderator", needs="posts_social"),
    Page("/posts/{social_own}/rights/", marker="Featuring your photos", needs="posts_social"),
    Page("/posts/{social_post}/report/", needs="posts_social"),
    Page("/tags/sommerlook/", marker="Following #sommerlook", needs="posts_social"),
    Page("/posts/", marker="Share a photo", needs="posts"),
    Page("/posts/new/", marker="photo-slot"),
    Page("/posts/{photo_post}/", marker="Edit", needs="posts"),
    Page("/posts/{photo_post}/edit/", marker="Alt text", needs="posts"),
    Page("/posts/{photo_post}/delete/", needs="posts"),
]

# Seen by a superuser in the Wagtail admin: the Insights pages (issue 19) with figures in them
# (tests/insights/test_markup.py for Nu, tests/browser/test_insights_admin.py for axe).
ADMIN_PAGES = [
    Page("/admin/insights/retention/", marker="insights-retention-chart", needs="insights"),
    Page("/admin/insights/retention/?grain=quarter&customers=community%3Aactive", marker="insights-table", needs="insights"),
    Page("/admin/insights/retention/?start=2025-03-01&end=2025-01-01", status=400, marker="help-critical", needs="insights"),
    Page("/admin/insights/cohorts/", marker="insights-table", needs="insights"),
    Page("/admin/insights/community/", marker="insights-table", needs="insights"),
    Page("/admin/insights/community/?segment=referred", marker="insights-table", needs="insights"),
    Page("/admin/insights/engagement/", marker="insights-table", needs="insights"),
    Page("/admin/", marker="insights", needs="insights"),
]

# The language walk (tests/website/test_language_walk.py): the pages a new member sees first, each
# checked in English and under /el/, /nb/ and /hu/ for English left; Nu and axe check them under
# each prefix too (added to the lists above, below).
WALK_PUBLIC_PAGES = [
    Page("/"),
    Page("/forum/", needs="forum"),
    Page("/forum/t/{topic}/", needs="forum"),
    Page("/accounts/signup/"),
    Page("/accounts/login/"),
    Page("/blog/linen-story-5/", needs="blog"),
    Page("/products/λινό-πουκάμισο/"),
    Page("/search/?q=linen", needs="blog"),
    Page("/no-such-page/", status=404),
    Page("/surveys/{sv_nps}/9/", needs="survey"),
]
WALK_MEMBER_PAGES = [
    Page("/forum/new/", needs="forum"),
    Page("/me/"),
    Page("/me/notifications/"),
]
WALK_PAGES = WALK_PUBLIC_PAGES + WALK_MEMBER_PAGES
_WALK_PREFIXED = {"el", "nb", "hu"}
PUBLIC_PAGES += [Page(f"/{code}{p.path}", status=p.status, needs=p.needs)
                 for code in sorted(_WALK_PREFIXED) for p in WALK_PUBLIC_PAGES if p.path != "/"]
MEMBER_PAGES += [Page(f"/{code}{p.path}", status=p.status, needs=p.needs)
                 for code in sorted(_WALK_PREFIXED) for p in WALK_MEMBER_PAGES]

# A bound, invalid form must render valid markup too: a bio over its 500 characters is refused
# with 400 and the form shown again with its errors.
INVALID_PROFILE_POST = {"display_name": "Ada", "bio": "x" * 501, "birthday": ""}


def png_bytes(size=(40, 40), colour=(15, 92, 77)):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def make_page_member():
    """The member whose pages are checked: every profile field filled, an avatar, a Greek name,
    an order for a product with a picture (so the product pages and the dashboard's order list are
    checked too)."""
    from django.core.files.base import ContentFile
    from wagtail.images import get_image_model

    from tests.factories import MemberFactory, OrderFactory, ProductFactory

    member = MemberFactory(username="ἀλίκη", display_name="Ἀλίκη Παπαδοπούλου", bio="Πρώτη γραμμή\nSecond line")
    member.avatar.save("avatar.png", ContentFile(png_bytes()), save=True)
    image = get_image_model().objects.create(title="Λινό πουκάμισο", file=ContentFile(png_bytes((120, 120)), name="shirt.png"))
    product = ProductFactory(name="Λινό πουκάμισο", slug="λινό-πουκάμισο", description="Ελαφρύ.\nLight.",
                             shop_url="https://shop.example.com/p/1", image=image)
    OrderFactory(member=member, lines=[product])
    return member


def make_admin_user():
    from tests.factories import MemberFactory

    return MemberFactory(username="admin-check", display_name="Ἀδμίν", is_staff=True, is_superuser=True)


def _insights():
    """Orders over the last months from members and guests, a member active in the forum: figures
    in every table and chart of the Insights pages."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from community.forum.models import Category, Post, PostLike, Topic
    from shop.models import Order
    from tests.factories import MemberFactory

    now = timezone.now()
    members = [MemberFactory(username=f"buyer{i}") for i in range(4)]
    number = 0
    for i, member in enumerate(members + [None] * 3):
        email = member.email if member else f"guest{i}@example.com"
        for months_ago in range(i % 3, 14, 3 + i % 2):
            number += 1
            total = Decimal(20 + 7 * i)
            Order.objects.create(source="check", external_id=f"I{number}", email=email, member=member,
                                 status="partially_refunded" if number % 5 == 0 else "paid",
                                 refunded_total=Decimal("5.00") if number % 5 == 0 else Decimal("0"),
                                 currency="EUR", subtotal=total, total=total,
                                 placed_at=now - datetime.timedelta(days=30 * months_ago + i))
    category = Category.objects.create(slug="insights-check", name="Insights check")
    topic = Topic.objects.create(category=category, title="Fit", slug="fit", author=members[0], created_at=now,
                                 last_posted_at=now)
    post = Post.objects.create(topic=topic, number=1, author=members[0], body="b", body_html="<p>b</p>", created_at=now)
    PostLike.objects.create(post=post, member=members[1], created_at=now)


def _play():
    from tests.play.page_fixtures import make_check_play

    return make_check_play()


def _blog():
    from tests.content.blog_fixtures import make_check_blog

    make_check_blog()


def _pages():
    from tests.content.page_fixtures import make_check_pages

    make_check_pages()


def _forum():
    from tests.forum.fixtures import make_check_forum

    return make_check_forum()


def _showcase():
    from tests.posts.showcase_fixtures import make_check_showcase

    return make_check_showcase()


def _referral():
    from referrals.codes import code_for
    from tests.factories import MemberFactory

    return {"ref_code": code_for(MemberFactory(username="referrer", display_name="Zoë Ωμέγα")).code}


def _my_referrals():
    """The page member's link with a chosen Greek code, clicks over channels, a friend who joined
    and one who ordered, with a pending and an approved reward."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from referrals import ledger
    from referrals.codes import code_for, vanity_set
    from referrals.models import Click, LedgerEntry, Referral, Reward
    from tests.factories import MemberFactory

    member = get_user_model().objects.get(username="ἀλίκη")
    code = code_for(member)
    vanity_set(member, "καλοκαίρι")
    Click.objects.bulk_create([Click(code=code, channel=c) for c in ("whatsapp", "whatsapp", "qr", "copy", "x")])
    now = timezone.now()
    for i, (name, state) in enumerate([("Ωραία Φίλη", "approved"), ("Kovács Anna", "pending"), ("Ola", None)]):
        friend = MemberFactory(display_name=name)
        referral = Referral.objects.create(referrer=member, friend=friend, code=code, via="link", channel="whatsapp",
                                           qualified_at=now if state else None)
        if state:
            reward = Reward.objects.create(member=member, referral=referral, side="referrer", points=500, state=state,
                                           due_at=now + datetime.timedelta(days=30 if state == "pending" else -1))
            status = LedgerEntry.Status.APPROVED if state == "approved" else LedgerEntry.Status.PENDING
            ledger.append(member, 500, kind=LedgerEntry.Kind.REFERRAL_REFERRER, status=status,
                          source_key=f"pagecheck:{i}", reward=reward)
    return {}


def _my_points():
    """The page member in the middle tier with a move down announced, entries of every loyalty kind
    (an order pending, one refunded in part, an expiry), on the leaderboard beside a Greek name."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from referrals import ledger
    from referrals.loyalty.models import LoyaltyAccount, Tier
    from referrals.models import LedgerEntry
    from tests.factories import MemberFactory

    member = get_user_model().objects.get(username="ἀλίκη")
    kind, now = LedgerEntry.Kind, timezone.now()
    entries = [(1200, kind.ORDER, "pending", "loyalty:order:9001", "#1001"),
               (-300, kind.ORDER_REFUND, "pending", "loyalty:order:9001:refund:25.00", "#1001"),
               (50, kind.REVIEW, "approved", "loyalty:review:9001", ""),
               (25, kind.PHOTO_POST, "approved", "loyalty:photo_post:9001", ""),
               (20, kind.SOLVED_ANSWER, "approved", "loyalty:solved:9001", ""),
               (100, kind.BIRTHDAY, "approved", f"loyalty:birthday:{member.pk}:2025", ""),
               (-40, kind.EXPIRY, "approved", f"loyalty:expiry:{member.pk}:2025-01-01", ""),
               (40, kind.SIGNUP, "approved", f"loyalty:signup:{member.pk}", "")]
    for points, k, status, key, note in entries:
        ledger.append(member, points, kind=k, status=status, source_key=key, note=note)
    if Tier.objects.count() < 2:  # the starting table (migration 0007) is gone after a transactional test
        Tier.objects.all().delete()
        Tier.objects.bulk_create([Tier(name="Μέλος", threshold=0), Tier(name="Insider", threshold=1000, multiplier="1.25",
                                                                         benefits="Early access\nΔωρεάν αποστολή")])
    tiers = list(Tier.objects.order_by("threshold"))
    LoyaltyAccount.objects.update_or_create(member=member, defaults={
        "tier": tiers[1], "leaderboard": True, "downgrade_to": tiers[0], "downgrade_announced_at": now,
        "downgrade_on": now + datetime.timedelta(days=30)})
    other = MemberFactory(display_name="Ωραία Φίλη")
    LoyaltyAccount.objects.create(member=other, leaderboard=True)
    ledger.append(other, 75, kind=kind.REVIEW, status="approved", source_key="loyalty:review:9002")
    return {}


def _my_codes():
    """Points for the page member, three redemption options (one out of reach, one in forints),
    and discount codes that are ready, used, expired and cancelled."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from referrals import ledger
    from referrals.loyalty.redemption import points_redeem
    from referrals.models import DiscountCode, LedgerEntry, RedemptionOption

    member = get_user_model().objects.get(username="ἀλίκη")
    ledger.append(member, 5000, kind=LedgerEntry.Kind.ADJUSTMENT, status=LedgerEntry.Status.APPROVED,
                  source_key="pagecheck:codes")
    small = RedemptionOption.objects.create(points=500, value="5.00", currency="EUR", valid_days=90)
    RedemptionOption.objects.create(points=1000, value="12.00", currency="EUR", valid_days=60, position=1)
    RedemptionOption.objects.create(points=100000, value="1500.00", currency="HUF", valid_days=1, position=2)
    codes = [points_redeem(member, small.pk)[0] for _ in range(4)]
    now = timezone.now()
    DiscountCode.objects.filter(pk=codes[1].pk).update(state="used", used_at=now)
    DiscountCode.objects.filter(pk=codes[2].pk).update(state="expired", expires_at=now - datetime.timedelta(days=5),
                                                       closed_at=now)
    DiscountCode.objects.filter(pk=codes[3].pk).update(state="cancelled", closed_at=now)
    return {}


def _survey():
    """Signed survey links as the e-mails carry them: an NPS question and a CSAT question about an
    order of a Greek-named member, one of theirs answered with a comment, one link signed long ago,
    and an NPS question of the page member."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.core import signing
    from django.utils import timezone

    from engagement.lifecycle.models import Survey
    from engagement.lifecycle.surveys import SURVEY_LINK, survey_token_make
    from tests.factories import MemberFactory, OrderFactory, ProductFactory

    member = MemberFactory(display_name="Ωραία Φίλη")
    order = OrderFactory(member=member, email=member.email, lines=[ProductFactory(name="Λινό σακάκι")])
    nps = Survey.objects.create(type=Survey.Type.NPS, member=member)
    csat = Survey.objects.create(type=Survey.Type.CSAT, member=member, order=order)
    answered = Survey.objects.create(type=Survey.Type.NPS, member=member, score=8, answered_at=timezone.now())
    own = Survey.objects.create(type=Survey.Type.NPS, member=get_user_model().objects.get(username="ἀλίκη"))
    signer = signing.TimestampSigner(salt=SURVEY_LINK.salt)
    signer.timestamp = lambda: signing.b62_encode(int((timezone.now() - datetime.timedelta(days=400)).timestamp()))
    return {"sv_nps": survey_token_make(nps), "sv_csat": survey_token_make(csat), "sv_answered": survey_token_make(answered),
            "sv_own": survey_token_make(own), "sv_expired": signer.sign_object({"s": nps.pk, "m": member.pk})}


def _reviews():
    from tests.reviews.fixtures import make_check_reviews

    return make_check_reviews()


def _review_link():
    """A guest's paid order of a Greek-named product and its review request: the link, an expired
    link, and the one-click unsubscribe link of the e-mail."""
    from django.core import signing

    from community.reviews.links import LINK_SALT, link_token_make
    from community.reviews.models import ReviewRequest
    from community.reviews.review_requests import optout_token_make
    from tests.factories import OrderFactory, ProductFactory

    product = ProductFactory(name="Λινό φόρεμα", slug="λινό-φόρεμα")
    order = OrderFactory(email="guest@example.com", lines=[product], paid_at="2026-11-01T10:00:00Z")
    request = ReviewRequest.objects.create(order=order, email=order.email, due_at=order.placed_at)
    signer = signing.TimestampSigner(salt=LINK_SALT)
    signer.timestamp = lambda: signing.b62_encode(1)  # signed in 1970: long expired
    return {"rl_slug": product.slug, "rl_token": link_token_make(request, product),
            "rl_expired": signer.sign_object({"r": request.pk, "p": product.pk}), "rl_unsub": optout_token_make(request)}


def _top_reviews():
    from community.reviews.models import Review
    from content.models import HomePage
    from tests.factories import MemberFactory, ProductFactory

    product = ProductFactory(name="Ullsokker")
    for n, (name, title) in enumerate([("Åsne", "Varme og myke"), ("Zoltán", "Kitartó zokni"), ("Ελένη", "Ζεστές")]):
        Review.objects.create(product=product, author=MemberFactory(display_name=name), rating=5 - n % 2, title=title,
                              body="Lovely, warm socks. " * 5, status=Review.Status.PUBLISHED, verified_buyer=n != 1)
    home = HomePage.objects.get()
    home.sections = [("top_reviews", {"heading": "", "product": None, "min_rating": "4", "count": 3})]
    home.save_revision().publish()
    return {}


def _posts_social():
    """A post by someone else with comments (one by the page member, one mentioning them, one
    hidden), likes and hashtags; the page member's own post, rejected with a reason, and another
    with the rights granted and a rights history; the page member follows #sommerlook."""
    from django.contrib.auth import get_user_model

    from community.moderation.services import moderator_grant
    from community.posts import interactions, moderation, rights
    from community.posts.models import Hashtag
    from tests.factories import MemberFactory
    from tests.posts.social.conftest import make_post

    member = get_user_model().objects.get(username="ἀλίκη")
    other = MemberFactory(username="nóra", display_name="Nóra Kovács")
    mod = moderator_grant(MemberFactory(username="modcheck", display_name="Mod", is_staff=True))
    post = make_post(other, "Nyári len a mólón #sommerlook #nyár <b>bold?</b>", photos=2)
    interactions.comment_add(member, post, "Ωραίο! #καλοκαίρι")
    interactions.comment_add(other, post, "Köszönöm @ἀλίκη!\nSecond line")
    hidden = interactions.comment_add(mod, post, "Hidden <script>x</script>")
    moderation.comment_set_hidden(mod, hidden, True)
    interactions.post_like(member, post)
    rejected = make_post(member, "Not for the wall #sommerlook")
    moderation.post_reject(mod, rejected, "Please show the brand's products in the photo.")
    own = make_post(member, "Mine #sommerlook", rights=True)
    rights.rights_withdraw(member, own)
    rights.rights_grant(member, own)
    interactions.hashtag_follow(member, Hashtag.objects.get(key="sommerlook"))
    return {"social_post": post.pk, "social_rejected": rejected.pk, "social_own": own.pk}


def _posts():
    """Photo posts by the page member: Greek and Hungarian hashtags, a mention, a product, six
    photos on one post (their renditions made), more posts than one page shows."""
    from django.contrib.auth import get_user_model

    from tests.posts.fixtures import make_check_posts

    return make_check_posts(get_user_model().objects.get(username="ἀλίκη"))


SETUPS = {"blog": _blog, "pages": _pages, "forum": _forum, "referral": _referral, "my_referrals": _my_referrals,
          "my_points": _my_points, "my_codes": _my_codes,
          "reviews": _reviews, "review_link": _review_link, "top_reviews": _top_reviews,
          "posts": _posts, "posts_social": _posts_social, "showcase": _showcase, "play": _play,
          "insights": _insights, "survey": _survey}
PLACEHOLDERS = {}  # filled by prepare() from what the setups return


def prepare(pages):
    """Make the data the given pages need (each kind once)."""
    PLACEHOLDERS.clear()
    for name in sorted({page.needs for page in pages if page.needs}):
        PLACEHOLDERS.update(SETUPS[name]() or {})


def index_live_pages():
    """Put the live pages in the search index (the home page comes from a data migration, which
    does not index it), so that a search finds them and its results list is checked too."""
    from wagtail.models import Page as WagtailPage
    from wagtail.search.index import insert_or_update_object

    for page in WagtailPage.objects.live().specific():
        insert_or_update_object(page)


def vnu_command():
    """The command that runs the checker, or (None, reason) when Java or the jar is missing."""
    java = shutil.which("java")
    if not java:
        return None, "Java is not installed: the Nu HTML checker needs it (apt-get install default-jre-headless)"
    if not VNU_JAR.is_file():
        return None, f"the Nu HTML checker is not installed at {VNU_JAR.relative_to(ROOT)}: run `make tools`"
    return [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"], None


def vnu_check(files, command):
    """Check all files in one run of vnu (its start-up is slow) and return {path: [message, ...]}.

    Only errors are reported (--errors-only); each message is vnu's JSON dict with "message",
    "lastLine", "firstColumn" and "extract".
    """
    files = [Path(f).resolve() for f in files]
    result = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, timeout=600, check=False)
    # vnu writes its JSON report to stderr; exit status 1 just means "errors found".
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        output = f"{result.stderr}\n{result.stdout}".strip()
        raise RuntimeError(f"vnu did not answer with JSON (exit {result.returncode}):\n{output}") from None
    by_file = {f: [] for f in files}
    for message in report.get("messages", []):
        url = message.get("url", "")
        path = Path(unquote(urlsplit(url).path)).resolve() if url.startswith("file:") else None
        if path not in by_file:
            # A message vnu could not tie to a file (a crash, an unreadable file) fails them all.
            for messages in by_file.values():
                messages.append(message)
        else:
            by_file[path].append(message)
    return by_file


def format_vnu_message(message, html_lines=None):
    line = message.get("lastLine") or message.get("firstLine")
    column = message.get("firstColumn") or message.get("lastColumn")
    where = f"line {line}" + (f", column {column}" if column else "") if line else "(no position)"
    text = f"  {where}: {message.get('type', 'error')}: {message.get('message', '')}"
    extract = message.get("extract")
    if extract:
        text += f"\n      {extract.strip()!r}"
    elif html_lines and line and line <= len(html_lines):
        text += f"\n      {html_lines[line - 1].strip()!r}"
    return text


def vnu_report(pages, tmp_path):
    """Check [(label, html), ...] with vnu in one run; return the failures as readable text (empty
    when every page is valid), or skip/fail the test when vnu is missing."""
    from tests.conftest import skip_or_fail

    command, reason = vnu_command()
    if command is None:
        skip_or_fail(reason)
    rendered = {}
    for label, html in pages:
        file = (tmp_path / f"page-{len(rendered):02d}.html").resolve()
        file.write_text(html, encoding="utf-8")
        rendered[file] = (label, html)
    failures = []
    for file, messages in vnu_check(rendered, command).items():
        if messages:
            label, html = rendered[file]
            details = "\n".join(format_vnu_message(m, html.splitlines()) for m in messages)
            failures.append(f"{label}: {len(messages)} error(s)\n{details}")
    return "\n\n".join(failures)


# --- axe (accessibility) -----------------------------------------------------------------------
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The CSS has a light and a dark palette (prefers-color-scheme): contrast must pass in both.
COLOR_SCHEMES = ("light", "dark")


def axe_source():
    """axe-core's script, as shipped inside the axe-playwright-python package."""
    return importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


# The rules whose outcome can differ between the light and the dark palette: nothing on the site
# reads prefers-color-scheme but its CSS, so the markup axe's other rules look at is the same.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page, color_scheme="light", rules=None):
    """Run axe on the page as it stands (a Playwright sync Page) and return its violations: those
    of AXE_TAGS, or of the given rules only."""
    page.emulate_media(color_scheme=color_scheme)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
        # govern: an inline <script> (page.add_script_tag) would be refused, and reported.
        page.evaluate(f"() => {{ {axe_source()}\n}}")
    result = page.evaluate(
        "([kind, values]) => window.axe.run(document, {runOnly: {type: kind, values}, resultTypes: ['violations']})",
        ["rule", rules] if rules else ["tag", AXE_TAGS],
    )
    return result["violations"]


def format_axe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation.get('impact')}): {violation['help']}  <{violation.get('helpUrl', '')}>")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"      {target}: {summary}")
            lines.append(f"        {node.get('html', '')[:200]}")
    return "\n".join(lines)


def axe_failures(page, label, color_schemes=COLOR_SCHEMES):
    """One readable failure text per colour scheme with violations; an empty list when clean."""
    failures = []
    for scheme in color_schemes:
        violations = axe_violations(page, scheme)
        if violations:
            failures.append(f"{label} [{scheme} colours] at {page.url}:\n{format_axe_violations(violations)}")
    return failures


def assert_no_axe_violations(page, label, color_schemes=COLOR_SCHEMES):
    failures = axe_failures(page, label, color_schemes)
    assert not failures, "axe found accessibility violations:\n\n" + "\n\n".join(failures)
