from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("forum/", views.index, name="index"),
    path("forum/latest/", views.topic_list, {"kind": "latest"}, name="latest"),
    path("forum/unanswered/", views.topic_list, {"kind": "unanswered"}, name="unanswered"),
    path("forum/solved/", views.topic_list, {"kind": "solved"}, name="solved"),
    path("forum/feed/", views.LatestTopicsFeed(), name="feed"),
    path("forum/new/", views.topic_new, name="topic_new"),
    path("forum/preview/", views.preview, name="preview"),
    path("forum/c/<str:slug>/", views.category, name="category"),
    path("forum/c/<str:slug>/feed/", views.LatestTopicsFeed(), name="category_feed"),
    path("forum/c/<str:slug>/watch/", views.category_watch, name="category_watch"),
    path("forum/t/<str:slug>/<int:pk>/", views.topic_detail, name="topic"),
    path("forum/t/<str:slug>/<int:pk>/<int:number>/", views.post_redirect, name="post"),
    path("forum/t/<int:pk>/unread/", views.topic_unread, name="topic_unread"),
    path("forum/t/<int:pk>/reply/", views.reply, name="reply"),
    path("forum/t/<int:pk>/solve/", views.topic_solve, name="topic_solve"),
    path("forum/t/<int:pk>/watch/", views.topic_watch, name="topic_watch"),
    path("forum/t/<int:pk>/moderate/", views.moderate_topic, name="moderate_topic"),
    path("forum/p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("forum/p/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("forum/p/<int:pk>/like/", views.post_like, name="post_like"),
    path("forum/p/<int:pk>/report/", views.post_report, name="post_report"),
    path("forum/p/<int:pk>/moderate/", views.moderate_post, name="moderate_post"),
    path("forum/p/<int:pk>/history/", views.post_history, name="post_history"),
]
