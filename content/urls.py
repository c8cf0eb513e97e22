from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search, name="search"),
    # not under /blog/: a post's slug could be "discuss"
    path("discuss/blog/<int:page_id>/", views.blog_discuss, name="blog_discuss"),
]
