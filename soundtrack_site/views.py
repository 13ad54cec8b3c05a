"""Project-wide pages: the site search's results."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import search as site_search
from .ratelimit import rate_limited


@require_safe
@rate_limited("search")
def search(request):
    """All kinds' best matches for ?q=, or one kind's (?kind=albums) page by page."""
    query = site_search.clean_query(request.GET.get("q", ""))
    kind = site_search.KINDS_BY_SLUG.get(request.GET.get("kind", ""))
    context = {"search_query": query, "kind": kind}
    if query and site_search.too_short(query):
        context["too_short"] = site_search.MIN_WORD_LENGTH  # Nothing is searched: nearly every row would match.
    elif query and kind:
        paginator = Paginator(site_search.search_kind(kind, query), site_search.PER_PAGE)
        # Garbage or out of range: the nearest page. Not `page_obj`, which would give the page a canonical
        # URL of /search/?page=2 (see the seo tags): all of search is one page to search engines.
        context["results_page"] = paginator.get_page(request.GET.get("page"))
    elif query:
        groups = site_search.search(query)
        context["groups"] = [group for group in groups if group.total]
        context["total"] = sum(group.total for group in groups)
    return render(request, "search.html", context)
