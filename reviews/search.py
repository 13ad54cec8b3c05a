"""What site search finds among reviews' models: critics, publications, best-of lists and articles.

The kinds of result are declared as the catalog's are (catalog/search.py, which explains the fields); the
project's URLconf puts these after the catalog's. Their indexes on PostgreSQL: reviews/migrations/0007_search.py.
"""

from catalog.search import Kind

from .models import Article, BestOfList, Critic, Publication

KINDS = [
    Kind(
        "critics", "Critics", "critic",
        lambda: Critic.objects.prefetch_related("publications"),
        name="name",
        fields={"name": "A", "biography": "C"},
    ),
    Kind(
        "publications", "Publications", "publication",
        lambda: Publication.objects.all(),
        name="name",
        fields={"name": "A", "description": "C"},
    ),
    Kind(
        "lists", "Best-of lists", "list",
        lambda: BestOfList.objects.published().select_related("publication"),
        name="title",
        fields={"title": "A", "description": "C"},
        related=("publication__name",),
    ),
    Kind(
        "articles", "Articles", "article",
        lambda: Article.objects.published().select_related("author"),
        name="title",
        fields={"title": "A", "standfirst": "B", "body": "C"},
        related=("author__name",),
    ),
]
