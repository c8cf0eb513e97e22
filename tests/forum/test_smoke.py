import pytest

from community.forum.models import Post, Topic

pytestmark = pytest.mark.django_db


def test_pages_render(client, topic, bob, alice):
    from tests.forum.conftest import make_replies

    make_replies(topic, [bob, alice], 3)
    for path in ["/forum/", "/forum/latest/", "/forum/unanswered/", "/forum/solved/", "/forum/c/care/", topic.get_absolute_url(),
                 "/forum/feed/", "/forum/c/care/feed/"]:
        assert client.get(path).status_code == 200, path
    client.force_login(bob)
    for path in ["/forum/", "/forum/c/care/", topic.get_absolute_url(), "/forum/new/", f"/forum/t/{topic.pk}/reply/?quote=2"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:500])
    response = client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Hello @alice, cold water."})
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.order_by("-pk").first()
    assert post.number == 5 and 'class="mention"' in post.body_html
    assert Topic.objects.get().reply_count == 4
