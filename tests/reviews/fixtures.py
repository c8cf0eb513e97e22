"""Reviews for the markup checks (tests/pagecheck.py): on the page member's product, reviews from
a verified buyer with photos and answers, others in Greek and Hungarian, a brand reply, an edited
rating, a rewarded one; the page member's own review with a photo; a second product to review
whose type asks questions."""

from django.contrib.auth import get_user_model

from community.reviews import services
from community.reviews.models import ReviewAttribute, ReviewPolicy
from core.images import image_process
from shop.models import Product


def _photo(alt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.pagecheck import png_bytes

    return services.PhotoInput(image_process(SimpleUploadedFile("p.png", png_bytes((60, 40))), "review_photo"), alt)


def make_check_reviews():
    from tests.factories import MemberFactory, OrderFactory, ProductFactory

    member = get_user_model().objects.get(username="ἀλίκη")
    product = Product.objects.get(slug="λινό-πουκάμισο")
    product.product_type = "Πουκάμισα"
    product.save()
    for position, (code, label, kind, low, high) in enumerate([
        ("fit", "Εφαρμογή", "scale", "Μικραίνει", "Μεγαλώνει"), ("quality", "Quality", "rating", "", ""),
        ("recommend", "Would recommend", "yes_no", "", ""),
    ]):
        ReviewAttribute.objects.create(product_type="Πουκάμισα", code=code, label=label, kind=kind, low_label=low,
                                       high_label=high, position=position)
    staff = MemberFactory(username="brand", display_name="Brand team", is_staff=True, is_superuser=True)
    reviewer = MemberFactory(username="kovács", display_name="Kovács Éva")
    OrderFactory(email=reviewer.email, lines=[product])
    policy = ReviewPolicy.load()
    policy.rewarded = True
    policy.save()
    first = services.review_submit(reviewer, product, rating=5, title="Tökéletes nyári ing",
                                   body="Könnyű, jól szellőzik.\nMosás után sem ment össze.",
                                   attributes={"fit": "2", "quality": "5", "recommend": "yes"},
                                   photos=[_photo("Az ing ujja közelről"), _photo("")])
    services.review_reply(staff, first, "Köszönjük, Éva!")
    policy.rewarded = False
    policy.save()
    for i, (rating, title) in enumerate([(4, "Ωραίο ύφασμα"), (3, "OK <b>shirt</b>"), (1, "Not for me")]):
        other = MemberFactory(username=f"reviewer{i}", display_name=f"Ρένα {i}")
        review = services.review_submit(other, product, rating=rating, title=title, body="Λεπτό λινό & <script>x</script>")
        if i == 0:
            services.review_edit(other, review, rating=5, title=title, body="Άλλαξα γνώμη.")
        services.review_vote(reviewer, review)
    own = services.review_submit(member, product, rating=4, title="Καλό", body="Καλό πουκάμισο.",
                                 photos=[_photo("Το πουκάμισο")])
    services.review_vote(member, first)
    to_review = ProductFactory(name="Κασμίρ πουλόβερ", slug="κασμίρ-πουλόβερ", product_type="Πουκάμισα")
    return {"reviewer": reviewer.username, "own_review": own.pk, "review_product": to_review.slug}
