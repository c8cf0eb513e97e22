"""Photo posts for the markup checks (tests/pagecheck.py) and the browser tests."""


from community.posts import services
from community.posts.models import Post, PostLike, PostPhoto
from core.images import image_process, image_use
from core.renditions import renditions_make
from shop.models import Product
from tests.factories import MemberFactory


def _photo(colour, size=(900, 700)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return image_process(SimpleUploadedFile("p.jpg", out.getvalue()), "post_photo").content


def make_check_posts(member):
    other = MemberFactory(username="kovacs", display_name="Kovács Anna")
    product = Product.objects.filter(active=True).first()
    main = services.post_create(
        member, caption="Πρωί στη θάλασσα #καλοκαίρι #Nyár με τη @kovacs\nΔεύτερη γραμμή <b>όχι</b>",
        photos=[(_photo((30 * i, 90, 120)), f"Φωτογραφία {i}: λινό πουκάμισο στην παραλία") for i in range(1, 7)],
        products=[product] if product else [], rights=True)
    for n in range(30):
        services.post_create(other if n % 2 else member, caption=f"Nap {n} #nyár #καλοκαίρι",
                             photos=[(_photo((200, 8 * n, 40), (400, 600)), f"Kép {n}")])
    PostLike.objects.create(post=main, member=other)
    Post.objects.filter(pk=main.pk).update(like_count=1)
    use = image_use("post_photo")
    for photo in PostPhoto.objects.filter(post=main):
        manifest = renditions_make(photo.file.storage, photo.file.name, use.rendition_widths, use.fallback_width)
        PostPhoto.objects.filter(pk=photo.pk).update(renditions=manifest)
    return {"photo_post": str(main.pk)}
