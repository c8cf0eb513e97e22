"""Editors create every content page type through the Wagtail admin's own form (the POST the
page editor sends), with every StreamField block the type offers, and the admin's preview of each
renders. A block an editor fills in wrongly comes back as a form error, and nothing is saved."""

import datetime
import io
from decimal import Decimal

from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from content.models import BrandStoryPage, HomePage, LookbookIndexPage, LookbookPage, MembersOnlyPage
from shop.models import Product
from tests.content.page_fixtures import VIDEO_URL, store_video_embed
from tests.factories import MemberFactory


def list_block(items):
    """Form data of a ListBlock: each item with its order, id and deleted flag."""
    data = {str(i): {"value": value, "order": str(i), "deleted": "", "id": ""} for i, value in enumerate(items)}
    data["count"] = str(len(items))
    return data


def make_image(title):
    out = io.BytesIO()
    PILImage.new("RGB", (400, 300), (15, 92, 77)).save(out, format="PNG")
    image = get_image_model()(title=title, file=ImageFile(out, name="admin.png"))
    image.save()
    return image


class EditorsCreatePagesTest(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(MemberFactory(is_staff=True, is_superuser=True))
        self.home = HomePage.objects.get()
        self.picture = make_image("Admin picture")
        store_video_embed()

    def story_data(self):
        return nested_form_data({
            "title": "Our story", "slug": "about", "intro": "Who we are.",
            "body": streamfield([
                ("paragraph", rich_text("<p>A small workshop.</p>")),
                ("image", {"image": self.picture.pk, "alt_text": "", "caption": "The workshop"}),
                ("video", {"video": VIDEO_URL, "title": "In the workshop", "transcript": ""}),
                ("quote", {"quote": "Make less, make it well.", "attribution": "Ἀλίκη"}),
                ("timeline", {"heading": "Our years", "events": list_block([
                    {"year": "2019", "title": "A workshop", "text": "Two tables.", "image": ""},
                ])}),
                ("values", {"heading": "", "values": list_block([{"title": "Made to last", "text": "Forty washes."}])}),
                ("people", {"heading": "", "people": list_block([
                    {"name": "Åsne Solberg", "role": "Design", "photo": self.picture.pk, "bio": ""},
                ])}),
            ]),
        })

    def test_brand_story_with_every_block(self):
        self.assertCanCreate(self.home, BrandStoryPage, self.story_data())
        page = BrandStoryPage.objects.get(slug="about")
        assert page.live and [block.block_type for block in page.body] == [
            "paragraph", "image", "video", "quote", "timeline", "values", "people"]
        html = self.client.get("/about/").content.decode()
        assert "Forty washes." in html and "youtube-nocookie.com/embed/check-video" in html

    def test_lookbook_with_a_look_linking_products(self):
        index = self.home.add_child(instance=LookbookIndexPage(title="Lookbooks", slug="lookbooks"))
        product = Product.objects.create(sku="A-1", name="Linen shirt", slug="linen-shirt", price=Decimal("79"))
        self.assertCanCreate(index, LookbookPage, nested_form_data({
            "title": "Summer linen", "slug": "summer-linen", "date": "2026-06-01", "season": "Summer 2026", "intro": "",
            "cover_image": self.picture.pk,
            "looks": streamfield([("look", {
                "title": "By the sea",
                "images": list_block([{"image": self.picture.pk, "alt_text": "A shirt by the sea"}]),
                "caption": "", "styling_notes": rich_text("<p>Roll the sleeves.</p>"),
                "products": list_block([product.pk]),
                "hashtag": "λινό",
            })]),
        }))
        page = LookbookPage.objects.get(slug="summer-linen")
        assert page.date == datetime.date(2026, 6, 1)
        html = self.client.get("/lookbooks/summer-linen/").content.decode()
        assert 'href="/products/linen-shirt/"' in html and "#λινό" in html

    def test_members_only_page_and_lookbook_index(self):
        self.assertCanCreate(self.home, LookbookIndexPage, nested_form_data({"title": "Lookbooks", "intro": ""}))
        self.assertCanCreate(self.home, MembersOnlyPage, nested_form_data({
            "title": "In the studio", "intro": "An interview.",
            "body": streamfield([("paragraph", rich_text("<p>For members.</p>"))]),
        }))
        assert MembersOnlyPage.objects.get().live and LookbookIndexPage.objects.get().live

    def test_a_look_with_a_bad_hashtag_is_refused_with_a_message(self):
        index = self.home.add_child(instance=LookbookIndexPage(title="Lookbooks", slug="lookbooks"))
        pages_before = Page.objects.count()
        data = nested_form_data({
            "title": "Bad", "slug": "bad", "date": "2026-06-01", "season": "", "intro": "", "cover_image": "",
            "looks": streamfield([("look", {
                "title": "A look", "images": list_block([{"image": self.picture.pk, "alt_text": ""}]),
                "caption": "", "styling_notes": rich_text(""), "products": list_block([]), "hashtag": "#two words",
            })]),
            "action-publish": "action-publish",
        })
        response = self.client.post(reverse("wagtailadmin_pages:add", args=["content", "lookbookpage", index.pk]), data)
        assert response.status_code == 200
        assert "Letters, digits and _ only" in response.content.decode()
        assert Page.objects.count() == pages_before

    def test_a_members_photos_gallery_in_the_story_and_one_without_its_hashtag_refused(self):
        def story(slug, gallery):
            return nested_form_data({"title": "Story", "slug": slug, "intro": "",
                                     "body": streamfield([("posts_gallery", gallery)]), "action-publish": "action-publish"})

        gallery = {"heading": "Members", "source": "tagged", "hashtag": "λινό", "product": "", "count": "6"}
        self.assertCanCreate(self.home, BrandStoryPage, story("story", gallery))
        assert [block.block_type for block in BrandStoryPage.objects.get(slug="story").body] == ["posts_gallery"]
        pages_before = Page.objects.count()
        response = self.client.post(reverse("wagtailadmin_pages:add", args=["content", "brandstorypage", self.home.pk]),
                                    story("bad", {**gallery, "hashtag": ""}))
        assert response.status_code == 200 and "Which hashtag?" in response.content.decode()
        assert Page.objects.count() == pages_before

    def test_previews_render(self):
        # The edit view's HTML carries StreamField data for its JavaScript only, so the preview
        # gets the same form data an editor's browser would send.
        self.assertCanCreate(self.home, BrandStoryPage, self.story_data())
        self.assertCanCreate(self.home, MembersOnlyPage, nested_form_data({
            "title": "In the studio", "intro": "An interview.", "body": streamfield([]),
        }))
        self.assertPageIsPreviewable(BrandStoryPage.objects.get(), post_data=self.story_data())
        self.assertPageIsPreviewable(MembersOnlyPage.objects.get(), post_data=nested_form_data({
            "title": "In the studio", "slug": "in-the-studio", "intro": "An interview.",
            "body": streamfield([("quote", {"quote": "Members first.", "attribution": ""})]),
        }))
