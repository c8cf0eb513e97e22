"""The campaigns' pages: /posts/campaigns/ (running and upcoming) and /posts/campaigns/<slug>/ (the
campaign with its countdown and entries, "load more" by htmx or a plain link). Read-only and the
same for everyone, so anonymous visitors get them from the page cache."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.absolute import absolute_url
from core.jsonld import breadcrumb_list, json_ld

from . import campaigns
from .cache import WALL_SCOPE, page_shows, page_shows_members


def _breadcrumbs(campaign=None):
    trail = [(_("Home"), reverse("wagtail_serve", args=[""])), (_("Photo posts"), reverse("posts:wall")),
             (_("Campaigns"), reverse("posts:campaigns"))]
    if campaign is not None:
        trail.append((campaign.title, campaign.get_absolute_url()))
    return trail


@require_GET
def campaign_list(request):
    # The countdowns' words lag by the grid's time at most (the script keeps them ticking).
    page_shows(request, campaigns.CAMPAIGNS_SCOPE, grid=True)
    now = timezone.now()
    trail = _breadcrumbs()
    return render(request, "posts/campaign_list.html", {
        "running": campaigns.campaigns_running(now),
        "upcoming": campaigns.campaigns_upcoming(now),
        "breadcrumbs": trail,
        "json_ld": json_ld(breadcrumb_list(trail, request)),
    })


@require_GET
def campaign_detail(request, slug):
    page_shows(request, campaigns.CAMPAIGNS_SCOPE, WALL_SCOPE, grid=True)
    campaign = campaigns.campaign_get(slug)
    page = campaigns.campaign_entries(campaign, request.GET.get("cursor"))
    page_shows_members(request, [post.author_id for post in page.items])
    context = {"campaign": campaign, "page": page, "posts": page.items, "grid_id": "campaign"}
    if request.GET.get("fragment"):  # "load more" by htmx: the next tiles and the next link
        return render(request, "posts/includes/grid_more.html", context)
    trail = _breadcrumbs(campaign)
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": campaign.title,
        "description": campaign.description,
        "url": absolute_url(campaign.get_absolute_url(), request),
    }
    context.update({
        "countdown": campaigns.campaign_countdown(campaign),
        "breadcrumbs": trail,
        "json_ld": json_ld(data) + json_ld(breadcrumb_list(trail, request)),
        "social": {"title": campaign.title, "description": campaign.description, "image": campaign.hero_image},
    })
    return render(request, "posts/campaign.html", context)
