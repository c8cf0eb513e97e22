from django.urls import reverse

from community.posts.models import Hashtag, Post

from .conftest import image_bytes, make_post, upload


def test_pages_render(client, alice):
    post = make_post(alice, caption="Sun on the pier #Été #sommerlook @bob")
    for url in (reverse("posts:wall"), reverse("posts:popular"), reverse("posts:detail", args=[post.pk]),
                reverse("posts:tag", args=["été"]), reverse("members:profile", args=[alice.username])):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"photo-card" in client.get(reverse("posts:wall")).content
    assert client.get(reverse("posts:tag", args=["ÉTÉ"])).status_code == 301
    assert client.get(reverse("posts:tag", args=["nothing"])).status_code == 404


def test_a_member_posts_through_the_form(client, alice):
    client.force_login(alice)
    assert client.get(reverse("posts:new")).status_code == 200
    response = client.post(reverse("posts:new"), {
        "photo_1": upload(), "alt_1": "A red square", "photo_2": upload("b.png", image_bytes("PNG"), "image/png"),
        "alt_2": "Another", "caption": "Hello #Sommerlook", "rights": "on",
    })
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.photos.count() == 2 and post.rights_granted_at and post.rights_version
    assert Hashtag.objects.get().post_count == 1
    response = client.post(reverse("posts:edit", args=[post.pk]), {
        "caption": "Now #other", **{f"alt_{p.pk}": "new alt" for p in post.photos.all()}})
    assert response.status_code == 302
    assert Hashtag.objects.get(key="sommerlook").post_count == 0
    assert Hashtag.objects.get(key="other").post_count == 1
    response = client.post(reverse("posts:delete", args=[post.pk]))
    assert response.status_code == 302 and not Post.objects.exists()
    assert Hashtag.objects.get(key="other").post_count == 0
