"""Site search: the header's search box and its results page, over every kind of public thing.

Each kind of result (albums, tracks, artists…) is a `Kind`: which objects a visitor may find, the field
shown as the result's name, its columns with their weights, and names on related rows that also find it
(a track is found by its performers' names, a list by its publication's). Each app declares the kinds of
its own models (`KINDS` here for the catalog's, reviews/search.py for critics, publications, lists and
articles), and the project's URLconf hands them all to the `search` view, as it joins the apps' sitemaps.
`best_matches()` asks each kind for its best few matches, `search_kind()` for all of one kind's, best first.

Accents and case: the columns and the words searched both go through the SQL function `search_fold()`,
lower case without accents, so 'sebastien' finds 'Sébastien Tellier' and 'SÉBASTIEN' does too. The `fold`
lookup and the function are set up by the catalog's AppConfig (catalog/apps.py), before the first query.

- PostgreSQL: search_fold() is lower(unaccent()) marked IMMUTABLE so GIN indexes can be built on it
  (catalog/migrations/0003_search.py, reviews/migrations/0007_search.py). A result is found by full text (a
  weighted tsvector of its columns against a websearch query: "quoted phrases", -exclusions, or), by its
  name containing the words, by trigram word similarity of its name (typos: 'shilds' finds Kevin Shields),
  or by a related name doing the same. Each of those is a query the indexes answer, joined by UNION.
- SQLite: search_fold() is `fold()` below, registered on each new connection (prepare_connection()).
  Every word searched must appear in one of the kind's columns or related names; no typo tolerance.

Best match first, on both: the name equal to the words, then starting with them, then containing them,
then the rest. On PostgreSQL each of those tiers is ordered by ts_rank plus the name's trigram similarity.
"""

import operator
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, Count, FloatField, Prefetch, Q, QuerySet, Transform, Value, When, Window
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Album, Artist, Film, FilmCredit, FilmRole, Track

# Longer input is cut: no real query needs more, and each word costs the database work.
MAX_QUERY_LENGTH = 200
# A query needs a word this long, folded: 'e' (or 'a b') is in nearly every name, so it would rank every row.
MIN_WORD_LENGTH = 2
# On SQLite each word is a condition on every column; more words than this are ignored.
MAX_WORDS = 8
# Results per kind on the all-kinds page, and per page when one kind is paginated.
TOP = 5
PER_PAGE = 20
# Typo tolerance on PostgreSQL: the share of the searched word's trigrams a name must contain.
WORD_SIMILARITY_THRESHOLD = 0.5
# English stemming ('shields' finds 'shield', 'soundtracks' finds 'soundtrack') and stop words.
# The indexes (catalog/migrations/0003_search.py, reviews/migrations/0007_search.py) use the same.
TEXT_SEARCH_CONFIG = "english"


class Fold(Transform):
    """`name__fold__contains="Sébastien"`: compares lower-case, accent-free text.

    Bilateral, so the database folds the words searched with the same function as the column: in
    PostgreSQL unaccent() and Python's Unicode tables disagree on a few letters (ø, ł, æ).
    """

    lookup_name = "fold"
    function = "search_fold"
    bilateral = True


def fold(text):
    """search_fold() on SQLite: compatibility forms unified (ﬁ, full-width letters), accents dropped, case folded.

    Only Latin-script accents (U+0300–U+036F) go: Japanese voiced marks change the word, not its accent.
    """
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not "\u0300" <= char <= "\u036f")
    return unicodedata.normalize("NFC", bare).casefold()


def prepare_connection(sender, connection, **kwargs):
    """connection_created receiver: what search needs from each new database connection.

    SQLite has no unaccent(), so search_fold() is fold() above. PostgreSQL reads pg_trgm's threshold from
    the session, and its default (0.6) misses one-letter typos in short words: 'shilds' scores 0.5
    against 'Kevin Shields'.
    """
    if connection.vendor == "sqlite":
        # deterministic: SQLite may skip repeated calls on the same value.
        connection.connection.create_function("search_fold", 1, fold, deterministic=True)
    elif connection.vendor == "postgresql":
        # On the driver's connection, not Django's cursor: this is setup, not one of a page's queries.
        with connection.connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(WORD_SIMILARITY_THRESHOLD)]
            )


def clean_query(raw):
    """The words as searched: control characters (NUL included) and lone surrogates out, spaces collapsed, capped.

    PostgreSQL refuses NUL in text and neither database can store a lone surrogate, so both would answer 500.
    """
    kept = "".join(" " if unicodedata.category(char) in ("Cc", "Cs") else char for char in raw)
    return " ".join(kept.split())[:MAX_QUERY_LENGTH].strip()


def too_short(query):
    """Whether no word of the cleaned query has MIN_WORD_LENGTH characters once folded ('É' is one, 'ﬁ' two)."""
    return all(len(word) < MIN_WORD_LENGTH for word in fold(query).split())


@dataclass(frozen=True)
class Kind:
    """A kind of result: what a visitor may find, how it is named, and what finds it."""

    slug: str  # In ?kind= and in the results page's anchors.
    title: str  # The heading of its group of results.
    noun: str  # One of them, for counts ("1 album", "3 albums" with |pluralize).
    queryset: Callable[[], QuerySet]  # The visible objects, with what their result shows.
    name: str  # The field shown as the result's name: exact and prefix matches rank first.
    # The columns searched, with their weight in the full-text document: A names and titles,
    # B other names, C prose. The name is always the first column.
    fields: dict = field(default_factory=dict)
    # Names on related rows that also find the object, through a lookup path (to-many paths allowed).
    related: tuple = ()

    @property
    def model(self):
        return self.queryset().model


# The catalog's kinds, in the order their groups appear when they match as well (reviews' follow).
KINDS = [
    Kind(
        "albums", "Albums", "album",
        lambda: Album.objects.published().select_related("film"),
        name="title",
        fields={"title": "A", "artist_credit": "B", "catalogue_number": "B", "description": "C"},
        related=("film__title", "label__name"),
    ),
    Kind(
        "tracks", "Tracks", "track",
        lambda: Track.objects.published().for_listing(),
        name="title",
        fields={"title": "A", "alternative_title": "A", "note": "C"},
        related=("track_artists__artist__name", "track_artists__credited_as"),
    ),
    Kind(
        "artists", "Artists", "artist",
        lambda: Artist.objects.all(),
        name="name",
        fields={"name": "A", "original_name": "A", "disambiguation": "B", "biography": "C"},
    ),
    Kind(
        "films", "Films", "film",
        # The director is shown, and found: 'coppola' finds the film as well as the person.
        lambda: Film.objects.prefetch_related(
            Prefetch(
                "credits",
                queryset=FilmCredit.objects.filter(role=FilmRole.DIRECTOR).select_related("artist"),
                to_attr="directors",
            )
        ),
        name="title",
        fields={"title": "A", "description": "C"},
        related=("credits__artist__name",),
    ),
]


@dataclass
class Group:
    """One kind's best matches and how many match in all."""

    kind: Kind
    results: list
    total: int


def best_matches(kinds, query, top=TOP):
    """Each kind's best `top` matches and its total: one query per kind (plus prefetches).

    The kinds whose best match is best come first (an artist named 'Shields' before albums that
    mention him), in the order given when they match as well; kinds without a match come last.
    """
    groups = []
    for kind in kinds:
        # The window counts every match before LIMIT applies, so the total costs no second query.
        results = list(search_kind(kind, query).annotate(total=Window(Count("pk")))[:top])
        groups.append(Group(kind, results, results[0].total if results else 0))
    return sorted(groups, key=lambda group: group.results[0].search_tier if group.results else 4)


def search_kind(kind, query):
    """The kind's visible objects matching the cleaned query, best first."""
    queryset = kind.queryset()
    if not query:
        return queryset.none()  # No words: every name would "contain" them.
    if connections[queryset.db].vendor == "postgresql":
        found, score = _postgresql(kind, query)
    else:
        found, score = _fallback(kind, query), Value(0.0, output_field=FloatField())
    name = kind.name
    tier = Case(
        When(Q(**{f"{name}__fold": query}), then=Value(0)),
        When(Q(**{f"{name}__fold__startswith": query}), then=Value(1)),
        When(Q(**{f"{name}__fold__contains": query}), then=Value(2)),
        default=Value(3),
    )
    return (
        queryset.filter(found)
        .annotate(search_tier=tier, search_score=score)
        .order_by("search_tier", "-search_score", Fold(name), "pk")
    )


def _postgresql(kind, query):
    """(condition, score): found by any index-backed way, scored by text rank plus name similarity."""
    model, name = kind.model, kind.name
    manager = model._default_manager
    words = SearchQuery(Fold(Value(query)), config=TEXT_SEARCH_CONFIG, search_type="websearch")
    # Each branch is a query of its own so the planner can answer it from an index; an OR across
    # tables in one WHERE would read every row.
    own = manager.alias(document=_document(kind)).filter(
        Q(document=words)
        | Q(**{f"{name}__fold__contains": query})
        | Q(**{f"{name}__fold__trigram_word_similar": query})
    )
    related = [
        manager.filter(Q(**{f"{path}__fold__contains": query}) | Q(**{f"{path}__fold__trigram_word_similar": query}))
        for path in kind.related
    ]
    ids = own.order_by().values("pk")  # Unordered: the models' default ordering would join and sort.
    if related:
        ids = ids.union(*(branch.order_by().values("pk") for branch in related))
    score = SearchRank(_document(kind), words) + TrigramWordSimilarity(Fold(Value(query)), Fold(name))
    return Q(pk__in=ids), score


def _document(kind):
    """The weighted tsvector of the kind's columns, exactly as its GIN index is built (same order)."""
    vectors = (
        SearchVector(Fold(column), config=TEXT_SEARCH_CONFIG, weight=weight) for column, weight in kind.fields.items()
    )
    return reduce(operator.add, vectors)


def _fallback(kind, query):
    """The condition on SQLite: every word in some column or related name."""
    manager = kind.model._default_manager
    condition = Q()
    for word in query.split()[:MAX_WORDS]:
        anywhere = Q()
        for column in kind.fields:
            anywhere |= Q(**{f"{column}__fold__contains": word})
        for path in kind.related:
            # A subquery, not a join: a join through a to-many relation would repeat the row.
            anywhere |= Q(pk__in=manager.filter(**{f"{path}__fold__contains": word}).values("pk"))
        condition &= anywhere
    return condition


@require_safe
def search(request, kinds):
    """All kinds' best matches for ?q=, or one kind's (?kind=albums) page by page.

    `kinds` comes from the URLconf (soundtrack_site/urls.py): every app's, in the order their groups appear
    when they match as well.
    """
    query = clean_query(request.GET.get("q", ""))
    kind = {kind.slug: kind for kind in kinds}.get(request.GET.get("kind", ""))
    context = {"search_query": query, "kind": kind}
    if query and too_short(query):
        context["too_short"] = MIN_WORD_LENGTH  # Nothing is searched: nearly every row would match.
    elif query and kind:
        paginator = Paginator(search_kind(kind, query), PER_PAGE)
        # Garbage or out of range: the nearest page. Not `page_obj`, which would give the page a canonical
        # URL of /search/?page=2 (see the seo tags): all of search is one page to search engines.
        context["results_page"] = paginator.get_page(request.GET.get("page"))
    elif query:
        groups = best_matches(kinds, query)
        context["groups"] = [group for group in groups if group.total]
        context["total"] = sum(group.total for group in groups)
    return render(request, "search.html", context)
