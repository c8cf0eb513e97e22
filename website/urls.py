from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.documents import urls as wagtaildocs_urls

from shop.webhooks import shop_webhook

from . import views
from .sitemaps import HashtagSitemap, PageSitemap, PhotoPostSitemap, ProductSitemap, TopicSitemap

handler400 = "website.views.bad_request"
handler403 = "website.views.permission_denied"
handler404 = "website.views.page_not_found"
handler500 = "website.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", wagtail_sitemap,
         {"sitemaps": {"pages": PageSitemap, "products": ProductSitemap, "topics": TopicSitemap,
                   "photos": PhotoPostSitemap, "hashtags": HashtagSitemap}}, name="sitemap"),
    # The Wagtail admin signs in through allauth, so its rate limits and verification apply.
    path("admin/login/", views.admin_login_redirect, name="wagtailadmin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("webhooks/shop/<slug:source>/", shop_webhook, name="shop_webhook"),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True)),
]

urlpatterns += i18n_patterns(
    # First: /r/<code> is the hot path when a shared link goes viral (each pattern tried costs).
    path("", include("engagement.play.urls")),
    path("", include("referrals.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("content.newsletter.urls")),
    path("", include("community.members.urls")),
    path("", include("community.forum.urls")),
    path("", include("community.moderation.urls")),
    path("", include("community.posts.urls")),
    path("", include("content.urls")),
    path("", include("community.reviews.urls")),
    path("", include("engagement.lifecycle.urls")),
    path("", include("shop.urls")),
    # Wagtail's page view with the fallback to English for pages not translated (website.views).
    re_path(r"^((?:[\w\-]+/)*)$", views.serve_page, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
