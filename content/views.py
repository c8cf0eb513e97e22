from django.shortcuts import render

from core.pagination import paginate

from .selectors import site_search

RESULTS_PER_PAGE = 10


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    page_obj = None
    if query:
        page_obj = paginate(site_search(query, request), request.GET.get("page"), RESULTS_PER_PAGE)
    return render(request, "content/search.html", {"search_query": query, "page_obj": page_obj})
