"""The site's URLs plus a one-line view: the ceiling the benchmarks compare pages with."""

from django.http import HttpResponse
from django.urls import path

from website.urls import handler400, handler403, handler404, handler500  # noqa: F401
from website.urls import urlpatterns as site_urlpatterns


def ceiling(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/ceiling/", ceiling), *site_urlpatterns]
