from django.urls import path

from .views import feeds, lists, moderation, posting, styles, topic

app_name = "forum"

urlpatterns = [
    path("forum/", lists.index, name="index"),
    path("forum/latest/", lists.topic_list, {"kind": "latest"}, name="latest"),
    path("forum/unanswered/", lists.topic_list, {"kind": "unanswered"}, name="unanswered"),
    path("forum/solved/", lists.topic_list, {"kind": "solved"}, name="solved"),
    path("forum/feed/", feeds.LatestTopicsFeed(), name="feed"),
    path("forum/tags/<str:tag>/", lists.tag, name="tag"),
    path("forum/new/", posting.topic_new, name="topic_new"),
    path("forum/preview/", posting.preview, name="preview"),
    path("forum/categories.css", styles.category_styles, name="category_styles"),
    path("forum/c/<str:slug>/", lists.category, name="category"),
    path("forum/c/<str:slug>/feed/", feeds.LatestTopicsFeed(), name="category_feed"),
    path("forum/c/<str:slug>/watch/", posting.category_watch, name="category_watch"),
    path("forum/t/<str:slug>/<int:pk>/", topic.topic_detail, name="topic"),
    path("forum/t/<str:slug>/<int:pk>/<int:number>/", topic.post_redirect, name="post"),
    path("forum/t/<int:pk>/unread/", topic.topic_unread, name="topic_unread"),
    path("forum/t/<int:pk>/reply/", posting.reply, name="reply"),
    path("forum/t/<int:pk>/solve/", posting.topic_solve, name="topic_solve"),
    path("forum/t/<int:pk>/watch/", posting.topic_watch, name="topic_watch"),
    path("forum/t/<int:pk>/moderate/", moderation.moderate_topic, name="moderate_topic"),
    path("forum/p/<int:pk>/edit/", posting.post_edit, name="post_edit"),
    path("forum/p/<int:pk>/delete/", posting.post_delete, name="post_delete"),
    path("forum/p/<int:pk>/like/", posting.post_like, name="post_like"),
    path("forum/p/<int:pk>/report/", posting.post_report, name="post_report"),
    path("forum/p/<int:pk>/moderate/", moderation.moderate_post, name="moderate_post"),
    path("forum/p/<int:pk>/history/", moderation.post_history, name="post_history"),
]
