"""The addresses of likes, comments, follows, reports, moderation and rights (posts-social),
added to the "posts" namespace by community.posts.urls."""

from django.urls import path

from .views import moderating, social

urlpatterns = [
    path("posts/<int:pk>/like/", social.like, name="like"),
    path("posts/<int:pk>/comments/", social.comment, name="comment"),
    path("posts/comments/<int:pk>/delete/", social.comment_delete, name="comment_delete"),
    path("posts/comments/<int:pk>/moderate/", moderating.comment_moderate, name="comment_moderate"),
    path("posts/<int:pk>/report/", social.report, name="report"),
    path("posts/<int:pk>/moderate/", moderating.moderate, name="moderate"),
    path("posts/<int:pk>/reject/", moderating.reject, name="reject"),
    path("posts/<int:pk>/rights/", moderating.rights_page, name="rights"),
    path("tags/<str:key>/follow/", social.follow, name="follow"),
]
