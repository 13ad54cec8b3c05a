"""Site search, on SQLite and PostgreSQL alike: what it finds, in what order, what it never shows, what it
survives and what it costs. Only typo tolerance and the index check are PostgreSQL's alone."""

import datetime
from importlib import import_module

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from catalog import search as site_search
from catalog.models import Album, Artist, Film, Status, Track, TrackArtist
from catalog.search import MAX_QUERY_LENGTH, PER_PAGE, TOP, clean_query, fold, search_kind
from reviews.models import BestOfList, Publication
from soundtrack_site.urls import search_kinds
from tests import factories
from tests.pages import get_page, linked, parse

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"
SEARCH = reverse("search")


def results(client, q, **params):
    """{kind: [result names, in page order]} in the order the page shows its groups."""
    root = get_page(client, SEARCH, q=q, **params)
    return {
        section.attrs["id"].removeprefix("results-"): [
            title.find("a").text for title in section.find_all(class_="hit__title")
        ]
        for section in root.find_all("section", class_="search-group")
    }


def kind_page(client, q, kind, **params):
    """The names on one kind's page of results, in order."""
    root = get_page(client, SEARCH, q=q, kind=kind, **params)
    return [title.find("a").text for title in root.find_all(class_="hit__title")]


# What the "done" means ------------------------------------------------------------------


def test_shields_finds_kevin_shields_and_his_tracks(client, reception):
    found = results(client, "shields")
    assert found["artists"][0] == "Kevin Shields"
    assert set(found["tracks"]) == {"City Girl", "Goodbye", "Ikebana", "Are You Awake?"}
    # Kevin Shields is the best match on the page, so artists come first.
    assert next(iter(found)) == "artists"
    root = get_page(client, SEARCH, q="shields")
    assert linked(root, Artist.objects.get(slug="kevin-shields"))
    assert linked(root, Track.objects.get(title="City Girl"))


@pytest.mark.parametrize("q", ["sebastien", "Sébastien", "SÉBASTIEN", "SEBASTIEN", "sébastien tellier", "Tellier"])
def test_sebastien_finds_sebastien_tellier_with_or_without_accents_and_capitals(client, lost_in_translation, q):
    assert results(client, q)["artists"][0] == "Sébastien Tellier"


def test_honey_finds_just_like_honey(client, lost_in_translation):
    assert results(client, "honey")["tracks"][0] == "Just Like Honey"


def test_pitchfork_finds_the_publication_and_its_list(client, reception):
    found = results(client, "pitchfork")
    assert found["publications"] == ["Pitchfork"]
    assert found["lists"] == ["The 50 Best Movie Soundtracks of All Time"]
    assert list(found)[:2] == ["publications", "lists"]  # Its name first, then what it published.
    root = get_page(client, SEARCH, q="pitchfork")
    assert linked(root, Publication.objects.get(slug="pitchfork"))
    assert linked(root, BestOfList.objects.get(slug="pitchfork-50-best-movie-soundtracks"))


def test_coppola_finds_the_film(client, reception):
    found = results(client, "coppola")
    assert found["films"] == ["Lost in Translation"]
    assert found["artists"][0] == "Sofia Coppola"
    assert linked(get_page(client, SEARCH, q="coppola"), Film.objects.get(slug="lost-in-translation"))


@pytest.mark.parametrize("q", ["kevin shields", "KEVIN SHIELDS", "Kevin Shields", "kEvIn ShIeLdS"])
def test_case_does_not_matter(client, lost_in_translation, q):
    assert results(client, q)["artists"][0] == "Kevin Shields"


def test_accents_in_the_query_find_names_without_them(client):
    factories.ArtistFactory(name="Jose Gonzalez")
    factories.ArtistFactory(name="Björk")
    assert results(client, "José González")["artists"] == ["Jose Gonzalez"]
    assert results(client, "bjork")["artists"] == ["Björk"]
    assert results(client, "BJÖRK")["artists"] == ["Björk"]


@pytest.mark.skipif(not POSTGRESQL, reason="typos are forgiven by pg_trgm's similarity; SQLite matches words as typed")
@pytest.mark.parametrize("q", ["shilds", "kevin sheilds", "sebastian telier"])
def test_typos_are_forgiven_on_postgresql(client, lost_in_translation, q):
    expected = "Sébastien Tellier" if "telier" in q else "Kevin Shields"
    assert results(client, q)["artists"][0] == expected


# Order -------------------------------------------------------------------------------------------


def test_best_match_first_name_equal_then_starting_then_containing_then_elsewhere(client):
    for title, description in [
        ("Sweet Sounds", "Notes of honey and smoke."),
        ("Just Like Honey Bees", ""),
        ("Honeymoon in Tokyo", ""),
        ("Honey", ""),
    ]:
        factories.AlbumFactory(title=title, description=description)
    expected = ["Honey", "Honeymoon in Tokyo", "Just Like Honey Bees", "Sweet Sounds"]
    assert results(client, "honey")["albums"] == expected
    assert kind_page(client, "Honey", "albums") == expected


def test_each_kind_shows_its_best_few_and_pages_through_the_rest(client):
    for n in range(PER_PAGE + 5):
        factories.AlbumFactory(title=f"Echoes {n:02d}")
    root = get_page(client, SEARCH, q="echoes")
    section = root.find("section", id="results-albums")
    assert len(section.find_all(class_="hit__title")) == TOP
    more = section.find("a", class_="more-link")
    assert more.text == f"All {PER_PAGE + 5} albums →"
    assert more.attrs["href"] == f"{SEARCH}?q=echoes&kind=albums"

    first = kind_page(client, "echoes", "albums")
    second = kind_page(client, "echoes", "albums", page=2)
    assert len(first) == PER_PAGE and len(second) == 5
    assert sorted(first + second) == [f"Echoes {n:02d}" for n in range(PER_PAGE + 5)]
    for garbage in ("0", "-1", "999", "abc", "1e9"):  # The nearest page, never a 404 or a 500.
        assert kind_page(client, "echoes", "albums", page=garbage)


def test_results_page_is_pre_filled_and_escapes_the_query(client):
    root = get_page(client, SEARCH, q='  "Honey"   <b>bees</b> ')
    assert root.find("input", id="site-search").attrs["value"] == '"Honey" <b>bees</b>'
    assert root.find("h1").text == 'No results for “"Honey" <b>bees</b>”'
    assert root.find("b") is None


def test_results_are_kept_out_of_search_engines_but_their_links_followed(client):
    for params in ({}, {"q": "honey"}, {"q": "honey", "kind": "albums", "page": "2"}):
        root = get_page(client, SEARCH, **params)
        assert root.find("meta", name="robots").attrs["content"] == "noindex, follow"


# What visitors must never see -------------------------------------------------------------------


def test_drafts_are_never_found(client):
    draft = factories.AlbumFactory(title="Secret Honey", draft=True, description="honey")
    factories.TrackFactory(album=draft, title="Secret Honey Track")
    factories.ArticleFactory(title="Secret Honey Article", draft=True)
    factories.ArticleFactory(title="Secret Honey Preview", published_at=timezone.now() + datetime.timedelta(days=2))
    factories.BestOfListFactory(title="Secret Honey List", draft=True)
    factories.AlbumFactory(title="Public Honey")
    assert results(client, "honey") == {"albums": ["Public Honey"]}
    for kind in search_kinds:
        assert kind_page(client, "secret", kind.slug) == []


# Hostile input ----------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "</title><script>alert(1)</script>",
    "' OR 1=1 --",
    "'; DROP TABLE catalog_album; --",
    "a\x00b",
    "\x00",
    "x" * 5000,
    "Sébastien " * 300,
    "!!!",
    "&|!():*<->",
    "%",
    "_",
    "\\",
    "'",
    '"',
    '"unterminated phrase',
    "-",
    "or",
    "-honey",
    "🎵 🎶",
    "\u202e\u200b",
    "%00",
]


@pytest.mark.parametrize("q", HOSTILE, ids=lambda q: repr(q[:20]))
@pytest.mark.parametrize("kind", ["", "albums", "<script>alert(1)</script>"])
def test_hostile_queries_answer_200_and_never_echo_html(client, q, kind):
    factories.TrackArtistFactory(track__title="Just Like Honey", artist__name="Sébastien Tellier")
    response = client.get(SEARCH, {"q": q, "kind": kind, "page": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    root = parse(response.content)
    assert root.find("input", id="site-search").attrs["value"] == clean_query(q)


@pytest.mark.parametrize("query_string", ["q=%ED%A0%80", "q=%FF%FE", "q=%C0%AF", "q=a&q=b", "q[]=x", "kind=albums"])
def test_malformed_query_strings_answer_200(client, query_string):
    assert client.get(f"{SEARCH}?{query_string}").status_code == 200


def test_long_queries_are_cut(client):
    root = get_page(client, SEARCH, q="y" * 1000)
    assert root.find("input", id="site-search").attrs["value"] == "y" * MAX_QUERY_LENGTH


def test_only_get_and_head(client):
    assert client.post(SEARCH, {"q": "honey"}).status_code == 405
    assert client.head(SEARCH, {"q": "honey"}).status_code == 200


def test_clean_query_and_fold():
    assert clean_query(" a\x00b\tc\n\n d ") == "a b c d"
    assert clean_query("\ud800honey") == "honey"
    assert clean_query("\x00\x01") == ""
    assert fold("Sébastien Tellier") == "sebastien tellier"
    assert fold("STRAẞE ﬁn") == "strasse fin"
    assert fold("ガ") == "ガ"  # A voiced mark makes another word; it is not an accent.


# Cost ---------------------------------------------------------------------------------------------


def one_of_each(word):
    """Something of every kind with `word` in its name, so every query and prefetch of the page runs."""
    album = factories.AlbumFactory(title=f"{word} album", film=factories.FilmFactory(title=f"{word} film"))
    factories.FilmCreditFactory(film=album.film)
    track = factories.TrackFactory(album=album, title=f"{word} track")
    factories.TrackArtistFactory(track=track, artist=factories.ArtistFactory(name=f"{word} artist"))
    publication = factories.PublicationFactory(name=f"{word} weekly")
    factories.CriticFactory(name=f"{word} critic", publications=[publication])
    factories.BestOfListFactory(title=f"{word} list", publication=publication)
    factories.ArticleFactory(title=f"{word} article")


def grow_catalog(word, albums):
    """`albums` more published albums, each with one track by one artist, in a few bulk inserts."""
    label = factories.LabelFactory()
    artist = factories.ArtistFactory(name=f"{word} player")
    created = Album.objects.bulk_create(
        Album(title=f"{word} {n:04d}", slug=f"{word}-{n:04d}", label=label, status=Status.PUBLISHED,
              publish_at=timezone.now())
        for n in range(albums)
    )
    tracks = Track.objects.bulk_create(Track(album=album, position=1, title=f"{album.title}") for album in created)
    TrackArtist.objects.bulk_create(TrackArtist(track=track, artist=artist) for track in tracks)


def count_queries(client, url, params):
    client.get(url, params)  # Warm up: what is read once per process is not the page's cost.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), parse(response.content)


@pytest.mark.parametrize("params", [{"q": "echo"}, {"q": "echo", "kind": "albums", "page": "2"}])
def test_query_count_is_fixed_as_the_catalog_grows_from_10_to_2000_albums(client, params):
    one_of_each("echo")
    grow_catalog("echo", 9)
    small, root = count_queries(client, SEARCH, params)
    assert root.find_all(class_="hit")

    grow_catalog("echoes", 1990)
    large, root = count_queries(client, SEARCH, params)
    assert Album.objects.count() == 2000
    assert large <= small
    if "kind" in params:
        assert len(root.find_all(class_="hit")) == PER_PAGE
    else:
        shown = {section.attrs["id"] for section in root.find_all("section", class_="search-group")}
        assert shown == {f"results-{kind.slug}" for kind in search_kinds}
        assert root.find("section", id="results-albums").find("a", class_="more-link").text == "All 2000 albums →"


def test_empty_query_searches_nothing(client, django_assert_max_num_queries):
    for q in ("", "   ", "\x00"):
        with django_assert_max_num_queries(0):
            root = get_page(client, SEARCH, q=q)
        assert root.find("h1").text == "Search"


@pytest.mark.parametrize("q", ["e", "É", "  e ", "a b", "e e e e", "%", "🎵"])
@pytest.mark.parametrize("kind", ["", "albums"])
def test_a_query_without_a_word_of_two_characters_searches_nothing(client, django_assert_num_queries, q, kind):
    """'e' is in nearly every name: the page says why it searched nothing, and asked the database nothing."""
    factories.AlbumFactory(title="Everything Everywhere")
    with django_assert_num_queries(0):
        response = client.get(SEARCH, {"q": q, "kind": kind})
    assert response.status_code == 200
    root = parse(response.content)
    assert root.find("h1").text == "Search"
    assert root.find(class_="lede").text.split() == (
        f"“{clean_query(q)}” is too short to search: nearly every album, track and name would match. "
        "Type a word of at least 2 characters."
    ).split()
    assert not root.find_all(class_="hit")


@pytest.mark.parametrize("q", ["ev", "ÉV", "e everything"])
def test_one_word_of_two_characters_is_enough(client, q):
    factories.AlbumFactory(title="Everything Everywhere")
    assert results(client, q)["albums"] == ["Everything Everywhere"]


@pytest.mark.skipif(not POSTGRESQL, reason="the GIN indexes exist on PostgreSQL only")
@pytest.mark.parametrize("kind", search_kinds, ids=lambda kind: kind.slug)
def test_postgresql_answers_each_kind_from_its_indexes(lost_in_translation, kind):
    """The index expressions in catalog/migrations/0003_search.py must be the ones the search writes."""
    table = kind.model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Tiny tables are cheaper to read whole: leave the planner only bitmap scans, to see which it can use.
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        plan = search_kind(kind, "shields").explain()
    assert f"Bitmap Index Scan on search_{table}_document" in plan
    assert f"Bitmap Index Scan on search_{table}_name" in plan


def search_indexes():
    """{index name: how many there are} of the search indexes in the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, COUNT(*) FROM pg_indexes WHERE indexname LIKE %s GROUP BY 1", [r"search\_%"])
        return dict(cursor.fetchall())


@pytest.mark.skipif(not POSTGRESQL, reason="the GIN indexes exist on PostgreSQL only")
def test_a_database_whose_catalog_migration_made_the_reviews_indexes_migrates_cleanly():
    """The reviews tables' indexes moved from catalog 0003 to reviews' own search migration: a database that
    ran the old catalog 0003 has them already, and migrating it on must pass over them."""
    reviews_search = import_module("reviews.migrations.0007_search")
    catalog_search = import_module("catalog.migrations.0003_search")
    migrated = search_indexes()
    assert set(migrated) >= {"search_reviews_article_document", "search_reviews_author_name"}

    previous = [key for key in reviews_search.Migration.dependencies if key[0] == "reviews"]
    MigrationExecutor(connection).migrate(previous)  # reviews' search migration not run yet...
    assert not any(name.startswith("search_reviews_") for name in search_indexes())
    with connection.schema_editor() as editor:  # ...and the indexes made as the old catalog 0003 made them.
        catalog_search.create_indexes(editor, reviews_search.TABLES, reviews_search.RELATED_NAMES)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert search_indexes() == migrated == dict.fromkeys(migrated, 1)


# The search box on every page --------------------------------------------------------------------


def html_pages_without_arguments():
    """Every public URL that takes no argument, as the URLconf lists them (new pages included)."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters
                and not str(pattern.pattern).startswith("admin/")  # Editors' pages beside the admin's.
            ):
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return [reverse(name) for name in names]


def test_search_url_reverses_and_resolves():
    assert SEARCH == "/search/"
    assert resolve(SEARCH).func is site_search.search


def test_search_box_is_in_the_header_of_every_page(client, reception):
    urls = html_pages_without_arguments() + [
        reception.get_absolute_url(),
        "/artists/kevin-shields/",
        "/films/lost-in-translation/",
        "/labels/emperor-norton/",
        "/genres/shoegaze/",
        "/publications/pitchfork/",
        "/critics/mark-richardson/",
        "/lists/pitchfork-50-best-movie-soundtracks/",
        "/articles/lost-in-translation-soundtrack-music-that-defined-an-era/",
        "/albums/no-such-album/",
        f"{SEARCH}?q=shields",
    ]
    checked = 0
    for url in urls:
        response = client.get(url, follow=True)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # Feeds, sitemaps.
        assert response.status_code in (200, 404), url
        header = parse(response.content).find("header", class_="site-header")
        form = header.find("form", role="search")
        assert form is not None, url
        assert (form.attrs["action"], form.attrs["method"]) == (SEARCH, "get"), url
        assert [label.attrs.get("for") for label in form.find_all("label")] == ["site-search"], url
        field = form.find("input", id="site-search")
        assert (field.attrs["type"], field.attrs["name"]) == ("search", "q"), url
        assert field.attrs["value"] == ("shields" if "q=shields" in url else ""), url
        assert form.find("button", type="submit") is not None, url
        # Tab order: the skip link, the site's name and sections, then the search box.
        tags = [element for element in header.iter() if element.tag in ("a", "input", "button")]
        assert tags[-2:] == [field, form.find("button")], url
        checked += 1
    assert checked >= 25


def test_keyboard_meets_the_search_box_right_after_the_skip_link_the_site_name_and_the_sections(client):
    root = get_page(client, "/")
    focusable = [element for element in root.iter() if element.tag in ("a", "input", "button")]
    sections = root.find("nav", class_="site-nav").find_all("a")
    assert focusable[: len(sections) + 4] == [
        root.find("a", class_="skip-link"), root.find("a", class_="site-name"), *sections,
        root.find("input", id="site-search"), root.find("button", class_="site-search__button"),
    ]
