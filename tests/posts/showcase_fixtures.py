"""Photo posts shown off the wall, independent of the demo data, for the page checks (Nu HTML checker
and axe, tests/pagecheck.py): a running campaign with entries, featured posts (the home page's
"From our members"), posts that tag the page member's product ("Seen on members") and a page with
every kind of gallery block, at /members-gallery/.

make_check_showcase() returns the values for the placeholders in the page checks' paths."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from community.posts import services
from community.posts.campaigns import campaign_hashtag
from community.posts.models import Campaign
from core.images import image_process
from shop.models import Product
from tests.factories import MemberFactory


def photo(colour):
    out = io.BytesIO()
    Image.new("RGB", (120, 150), colour).save(out, format="JPEG")
    upload = SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")
    return image_process(upload, "post_photo").content


def make_check_showcase():
    from content.models import BrandStoryPage, HomePage

    author = MemberFactory(username="ελένη-φωτο", display_name="Ελένη Φωτογράφος")
    now = timezone.now()
    campaign = Campaign.objects.create(
        hashtag=campaign_hashtag("#LayerUp"), slug="layer-up", title="Layer up <for> winter",
        description="Show us your layers.\n\nThe team picks three winners.", prize_text="A knit of your choice",
        starts_at=now - datetime.timedelta(days=3), ends_at=now + datetime.timedelta(days=9))
    Campaign.objects.create(hashtag=campaign.hashtag, slug="soon", title="Coming soon",
                            starts_at=now + datetime.timedelta(days=20), ends_at=now + datetime.timedelta(days=40))
    product = Product.objects.filter(slug="λινό-πουκάμισο").first()
    for n in range(4):
        post = services.post_create(
            author, caption=f"Layer {n} #LayerUp #λινό", photos=[(photo((40 * n, 90, 120)), f"A drawn layer number {n}")],
            products=[product] if product and n % 2 == 0 else [], rights=True)
        if n < 2:
            post.featured_at = now
            post.save(update_fields=["featured_at"])
    home = HomePage.objects.get()
    page = BrandStoryPage(title="Members' gallery", slug="members-gallery", intro="Photos by members.")
    page.body = [
        {"type": "posts_gallery", "value": {"heading": "", "source": "featured", "count": 3}},
        {"type": "posts_gallery", "value": {"heading": "Under #λινό", "source": "tagged", "hashtag": "λινό", "count": 6}},
        {"type": "posts_gallery", "value": {"heading": "With the shirt", "source": "product",
                                            "product": product.pk if product else None, "count": 6}},
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return {"campaign": campaign.slug}
