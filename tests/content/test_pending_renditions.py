"""The blog's pages make no rendition in the request: with a worker that has not run yet, a post and
the index answer at once with stand-ins (the original at the rendition's size), the social card too,
and every missing rendition is queued once; the page cache keeps such a page only briefly."""

import pytest
from wagtail.images.models import AbstractImage, Rendition

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings, monkeypatch):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()

    def refuse(*args, **kwargs):
        raise AssertionError("a rendition was made in the request")

    monkeypatch.setattr(AbstractImage, "generate_rendition_file", refuse)
    return lambda: [r for r in default_task_backend.results if r.task.name == "wagtail_renditions_build"]


def test_a_post_with_new_pictures_answers_with_stand_ins(client, make_post, author, queued):
    post = make_post(authors=[author], body_image=True)
    response = client.get(post.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Rendition.objects.exists()
    assert html.count("data-rendition-pending") >= 3  # the hero, the body's picture, the author's photo
    assert post.hero_image.file.url in html  # og:image and the hero: the original until the worker runs
    assert {post.hero_image_id, author.photo_id} <= {r.args[0] for r in queued()}
    first = len(queued())
    for _ in range(5):
        assert client.get(post.url).status_code == 200
    assert len(queued()) == first  # each missing rendition was queued once


def test_once_the_worker_has_run_the_post_shows_renditions(client, make_post, author, queued, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    from core.wagtail_renditions import wagtail_renditions_build

    post = make_post(authors=[author], body_image=True)
    client.get(post.url)
    monkeypatch.undo()
    for result in queued():
        wagtail_renditions_build.call(*result.args)
    from django.core.cache import cache

    cache.clear()  # past the short keep of the page that showed stand-ins
    html = client.get(post.url).content.decode()
    assert "data-rendition-pending" not in html
    assert Rendition.objects.filter(image=post.hero_image).exists()


def test_the_index_answers_with_stand_ins(client, make_post, queued):
    make_post()
    make_post()
    response = client.get("/blog/")
    assert response.status_code == 200
    assert "data-rendition-pending" in response.content.decode()
    assert not Rendition.objects.exists()
