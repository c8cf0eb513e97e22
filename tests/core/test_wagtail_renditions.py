"""Wagtail renditions are made by the task worker, never by a page's request: a missing one is
queued once, however many requests ask, and the page shows a stand-in at the rendition's size."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.images.models import AbstractImage, Rendition

from core.pagecache import page_timeout
from core.wagtail_renditions import PAGE_SECONDS, _pending_key, renditions_or_pending, wagtail_renditions_build
from tests.content.conftest import make_image

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued(settings):
    """A task backend that only records what is queued (the production worker is elsewhere)."""
    from django_tasks import default_task_backend

    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()

    def builds():
        return [r for r in default_task_backend.results if r.task.name == "wagtail_renditions_build"]

    return builds


@pytest.fixture
def no_making(monkeypatch):
    """Making a rendition in this process fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a rendition was made in the request")

    monkeypatch.setattr(AbstractImage, "generate_rendition_file", refuse)


def render(source, **context):
    return Template("{% load rendition_tags %}" + source).render(Context(context))


def test_a_missing_rendition_is_queued_and_a_stand_in_keeps_the_layout(queued, no_making):
    image = make_image(size=(400, 300))
    html = render("{% image img fill-200x100 class='x' %}", img=image)
    assert 'width="200"' in html and 'height="100"' in html  # the rendition's size, not the original's
    assert f'src="{image.file.url}"' in html  # nothing else exists yet: the original
    assert "data-rendition-pending" in html and 'class="x"' in html
    assert not Rendition.objects.exists()
    assert [(r.args[0], r.args[1]) for r in queued()] == [(image.pk, ["fill-200x100"])]


def test_sixteen_requests_queue_one_task(queued, no_making):
    image = make_image(size=(400, 300))
    for _ in range(16):
        render("{% picture img format-{webp,jpeg} width-{100,200} as p %}{{ p }}", img=image)
    builds = queued()
    assert len(builds) == 1
    assert sorted(builds[0].args[1]) == sorted(["format-webp|width-100", "format-webp|width-200",
                                                 "format-jpeg|width-100", "format-jpeg|width-200"])


def test_the_worker_makes_them_and_the_page_shows_them(queued, no_making, monkeypatch):
    image = make_image(size=(400, 300))
    render("{% image img width-200 %}", img=image)
    (build,) = queued()
    monkeypatch.undo()  # the worker may make renditions
    assert wagtail_renditions_build.call(*build.args) == ["width-200"]
    from django.core.cache import cache
    from wagtail.images.models import Filter

    assert cache.get(_pending_key(image, Filter("width-200"))) is None  # freed for any later change
    rendition = Rendition.objects.get(image=image, filter_spec="width-200")
    html = render("{% image img width-200 %}", img=image)
    assert f'src="{rendition.url}"' in html and "data-rendition-pending" not in html
    assert len(queued()) == 1


def test_a_failed_build_frees_the_key_so_the_next_request_asks_again(queued):
    image = make_image(size=(400, 300))
    render("{% image img width-200 %}", img=image)
    image.file.storage.delete(image.file.name)  # the original went away
    assert wagtail_renditions_build.call(image.pk, ["width-200"]) == []
    render("{% image img width-200 %}", img=image)
    assert len(queued()) == 2


def test_the_stand_in_is_the_nearest_existing_rendition(queued):
    image = make_image(size=(1000, 500))
    small, wide = image.get_rendition("width-300"), image.get_rendition("width-800")
    image.get_rendition("width-900")
    html = render("{% image img width-600 %}", img=image)
    assert f'src="{wide.url}"' in html and 'width="600"' in html and 'height="300"' in html
    html = render("{% image img fill-950x100 %}", img=image)  # none is as wide: the widest
    assert Rendition.objects.get(filter_spec="width-900").url in html
    assert small.url not in html


def test_a_picture_with_any_rendition_missing_is_one_img(queued, no_making):
    image = make_image(size=(1000, 500))
    html = render("{% picture img format-{avif,webp} width-{400,800} %}", img=image)
    assert html.count("<img") == 1 and "<source" not in html and "srcset" not in html
    assert 'width="800"' in html and 'height="400"' in html


def test_with_the_immediate_backend_the_page_gets_the_rendition_at_once():
    image = make_image(size=(400, 300))
    html = render("{% image img width-100 %}", img=image)
    rendition = Rendition.objects.get(image=image)
    assert f'src="{rendition.url}"' in html and "data-rendition-pending" not in html


def test_a_page_with_a_stand_in_is_cached_briefly(queued):
    image = make_image(size=(400, 300))
    request = RequestFactory().get("/")
    renditions_or_pending(image, ["width-100"], request)
    assert page_timeout(request, 600) == PAGE_SECONDS
    made = RequestFactory().get("/")
    image.get_rendition("width-100")
    renditions_or_pending(image, ["width-100"], made)
    assert page_timeout(made, 600) == 600


def test_a_missing_original_is_no_error(queued):
    image = make_image(size=(400, 300))
    image.file.storage.delete(image.file.name)
    html = render("{% image img width-100 %}", img=image)
    assert "<img" in html
