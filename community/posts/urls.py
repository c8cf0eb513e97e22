from django.urls import path

from . import campaign_views
from .social_urls import urlpatterns as social_urlpatterns
from .views import pages, posting

app_name = "posts"

urlpatterns = [
    path("posts/", pages.wall, name="wall"),
    path("posts/popular/", pages.wall, {"kind": "popular"}, name="popular"),
    path("posts/new/", posting.post_new, name="new"),
    path("posts/campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("posts/campaigns/<str:slug>/", campaign_views.campaign_detail, name="campaign"),
    path("posts/by/<str:username>/", pages.member, name="member"),
    path("posts/<int:pk>/", pages.detail, name="detail"),
    path("posts/<int:pk>/edit/", posting.post_edit, name="edit"),
    path("posts/<int:pk>/delete/", posting.post_delete, name="delete"),
    path("tags/<str:key>/", pages.tag, name="tag"),
]

urlpatterns += social_urlpatterns  # likes, comments, follows, reports, moderation, rights (posts-social)
