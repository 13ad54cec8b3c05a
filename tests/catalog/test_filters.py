"""Browsing albums and tracks: each filter and order alone and together, and garbage in the address.

Every filter is read from the query string, so a visitor (or a crawler) can type anything there: the
page must answer 200 with a form error, never a 500, and never echo the input unescaped.
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from catalog.models import ArtistKind
from reviews.models.scores import MINIMUM_FOR_VERDICT
from tests import factories
from tests.pages import parse

pytestmark = pytest.mark.django_db

ALBUMS = reverse("catalog:album-list")
TRACKS = reverse("catalog:track-list")


def reviews(album, score, count=MINIMUM_FOR_VERDICT):
    """`count` published reviews of the album, each scoring `score` out of 100."""
    for _ in range(count):
        factories.ReviewFactory(album=album, rating_value=Decimal(score) / 10)


@pytest.fixture
def shelf():
    """Four published albums that differ in every way the album list filters on, and a draft that matches all.

    alpha: shoegaze, Emperor Norton, soundtrack of Lost in Translation, 2003, favorable (75), Kevin Shields.
    bravo: ambient, Warp, score of Drive, 2011, acclaim (90), Cliff Martinez.
    charlie: shoegaze, Warp, compilation, no film, 1991, no reviews, My Bloody Valentine (Kevin Shields's group).
    delta: ambient, Emperor Norton, soundtrack, undated, one review of 100 (no verdict yet).
    """
    shoegaze, ambient = factories.GenreFactory(name="Shoegaze"), factories.GenreFactory(name="Ambient")
    emperor, warp = factories.LabelFactory(name="Emperor Norton"), factories.LabelFactory(name="Warp")
    kevin = factories.ArtistFactory(name="Kevin Shields")
    mbv = factories.ArtistFactory(name="My Bloody Valentine", kind=ArtistKind.GROUP)
    factories.MembershipFactory(group=mbv, member=kevin)
    cliff = factories.ArtistFactory(name="Cliff Martinez")

    def album(title, performer=None, reviewed=None, **kwargs):
        made = factories.AlbumFactory(title=title, **kwargs)
        track = factories.TrackFactory(album=made, position=1, title=f"{title} theme")
        if performer:
            factories.TrackArtistFactory(track=track, artist=performer)
        if reviewed:
            reviews(made, *reviewed)
        return made

    albums = {
        "alpha": album("Alpha", kevin, (75,), genres=[shoegaze], label=emperor, album_type="soundtrack",
                       film=factories.FilmFactory(title="Lost in Translation"), release_date="2003-09-09"),
        "bravo": album("Bravo", cliff, (90,), genres=[ambient], label=warp, album_type="score",
                       film=factories.FilmFactory(title="Drive", year=2011), release_date="2011-09"),
        "charlie": album("Charlie", mbv, genres=[shoegaze], label=warp, album_type="compilation",
                         release_date="1991"),
        "delta": album("Delta", None, (100, 1), genres=[ambient], label=emperor, album_type="soundtrack",
                       release_date=""),
    }
    album("Draft Everything", kevin, (75,), draft=True, genres=[shoegaze, ambient], label=emperor,
          album_type="soundtrack", film=factories.FilmFactory(title="Lost in Translation", year=2004),
          release_date="2003")
    return albums


def shown(client, url, params=None):
    """The titles of the album cards (or track rows) on the page, in order, and the parsed page."""
    response = client.get(url, params or {})
    assert response.status_code == 200
    root = parse(response.content)
    if url.startswith(ALBUMS):
        titles = [card.find(class_="card__title").text for card in root.find_all("article", class_="card")]
    else:
        titles = [link.text for link in root.find_all("a", class_="track-title")]
    return titles, root


def result_count(root):
    return root.find(id="result-count").text


# The album list: each filter alone ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Alpha", "Bravo", "Charlie", "Delta"]),
        ({"genre": "shoegaze"}, ["Alpha", "Charlie"]),
        ({"label": "warp"}, ["Bravo", "Charlie"]),
        ({"type": "soundtrack"}, ["Alpha", "Delta"]),
        ({"type": "score"}, ["Bravo"]),
        ({"film": "Lost in Translation"}, ["Alpha"]),
        ({"film": "  lost IN translation "}, ["Alpha"]),  # any case, spaces trimmed
        ({"film": "Lost"}, []),  # the full title: partial words are for search
        ({"artist": "Kevin Shields"}, ["Alpha", "Charlie"]),  # in person, and with his group
        ({"artist": "my bloody valentine"}, ["Charlie"]),
        ({"artist": "Cliff Martinez"}, ["Bravo"]),
        ({"artist": "Nobody"}, []),
        ({"decade": "2000"}, ["Alpha"]),
        ({"decade": "1990"}, ["Charlie"]),
        ({"year_min": "2003"}, ["Alpha", "Bravo"]),
        ({"year_min": "2004"}, ["Bravo"]),
        ({"year_max": "2003"}, ["Alpha", "Charlie"]),  # the undated album is in no year range
        ({"year_max": "9999"}, ["Alpha", "Bravo", "Charlie"]),
        ({"year_min": "2003", "year_max": "2003"}, ["Alpha"]),
        ({"band": "favorable"}, ["Alpha"]),
        ({"band": "acclaim"}, ["Bravo"]),  # not Delta: one review of 100 gives no verdict
        ({"band": "mixed"}, []),
        ({"has_reviews": "true"}, ["Alpha", "Bravo", "Delta"]),
        ({"has_reviews": "false"}, ["Charlie"]),
    ],
)
def test_album_filter_alone(client, shelf, params, expected):
    titles, root = shown(client, ALBUMS, params)
    assert titles == expected
    assert "Draft Everything" not in root.text


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("title", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("-release_date", ["Bravo", "Alpha", "Charlie", "Delta"]),  # undated last
        ("release_date", ["Charlie", "Alpha", "Bravo", "Delta"]),  # undated last here too
        ("-score", ["Delta", "Bravo", "Alpha", "Charlie"]),  # no score last
        ("-reviews", ["Alpha", "Bravo", "Delta", "Charlie"]),  # 4, 4, 1, none; ties by title
    ],
)
def test_album_order(client, shelf, sort, expected):
    titles, _root = shown(client, ALBUMS, {"sort": sort} if sort else {})
    assert titles == expected


def test_album_default_order_is_the_first_sort_choice(client, shelf):
    unfiltered, root = shown(client, ALBUMS)
    assert unfiltered == shown(client, ALBUMS, {"sort": "title"})[0]
    selected = root.find("select", id="id_sort").find("option", selected="")
    assert selected is None or selected.attrs["value"] == "title"


# Together ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"genre": "shoegaze", "label": "warp"}, ["Charlie"]),
        ({"genre": "ambient", "type": "soundtrack"}, ["Delta"]),
        ({"artist": "kevin shields", "has_reviews": "false"}, ["Charlie"]),
        ({"artist": "kevin shields", "sort": "-release_date"}, ["Alpha", "Charlie"]),
        ({"decade": "2000", "year_min": "2004"}, []),
        ({"year_min": "1990", "year_max": "2011", "sort": "release_date"}, ["Charlie", "Alpha", "Bravo"]),
        ({"has_reviews": "true", "sort": "-score"}, ["Delta", "Bravo", "Alpha"]),
        ({"label": "emperor-norton", "band": "favorable", "film": "lost in translation"}, ["Alpha"]),
        # The example: every filter at once.
        ({"genre": "shoegaze", "label": "emperor-norton", "type": "soundtrack", "decade": "2000",
          "year_min": "2001", "year_max": "2005", "band": "favorable", "has_reviews": "true", "sort": "-score",
          "artist": "Kevin Shields", "film": "Lost in Translation"}, ["Alpha"]),
    ],
)
def test_album_filters_together(client, shelf, params, expected):
    titles, _root = shown(client, ALBUMS, params)
    assert titles == expected


def test_the_form_shows_the_filters_in_use(client, shelf):
    _titles, root = shown(client, ALBUMS, {"genre": "shoegaze", "artist": "Kevin Shields", "sort": "-score"})
    form = root.find("form", id="filters")
    assert form.attrs["method"] == "get" and form.attrs["role"] == "search"
    assert form.attrs["aria-label"] == "Filter albums"
    assert form.find("select", id="id_genre").find("option", selected="").attrs["value"] == "shoegaze"
    assert form.find("input", id="id_artist").attrs["value"] == "Kevin Shields"
    assert form.find("select", id="id_sort").find("option", selected="").attrs["value"] == "-score"
    assert form.find("a", class_="filters__clear").attrs["href"] == ALBUMS


def test_every_field_has_a_label(client, shelf):
    _titles, root = shown(client, ALBUMS)
    form = root.find("form", id="filters")
    names = [field.attrs["name"] for field in form.find_all("input") + form.find_all("select")]
    assert sorted(names) == sorted(["genre", "label", "type", "film", "artist", "decade", "year_min", "year_max",
                                    "band", "has_reviews", "sort"])
    for field in form.find_all("input") + form.find_all("select"):
        label = form.find("label", **{"for": field.attrs["id"]})
        assert label is not None and label.text, field.attrs["name"]
    assert form.find("button", type="submit") is not None


def test_result_counts(client, shelf):
    assert result_count(shown(client, ALBUMS)[1]) == "4 albums."
    assert result_count(shown(client, ALBUMS, {"label": "warp"})[1]) == "2 albums match your filters."
    assert result_count(shown(client, ALBUMS, {"type": "score"})[1]) == "1 album matches your filters."
    _titles, root = shown(client, ALBUMS, {"type": "ep"})
    assert result_count(root) == "0 albums match your filters."
    assert "No albums match these filters." in root.text


def test_cards_show_the_score_when_there_is_one(client, shelf):
    _titles, root = shown(client, ALBUMS)
    cards = {card.find(class_="card__title").text: card for card in root.find_all("article", class_="card")}
    assert cards["Bravo"].find(class_="score__number").text == "90 out of 100"
    assert "Universal acclaim" in cards["Bravo"].text
    assert "No verdict yet" in cards["Delta"].text  # a score from too few reviews is no verdict
    assert cards["Charlie"].find(class_="score") is None


def test_genre_and_label_choices_are_those_with_published_albums(client, shelf):
    factories.AlbumFactory(draft=True, label=factories.LabelFactory(name="Only Drafts"),
                           genres=[factories.GenreFactory(name="Unheard")])
    _titles, root = shown(client, ALBUMS)
    assert [option.text for option in root.find("select", id="id_label").find_all("option")] == [
        "Any label", "Emperor Norton", "Warp"
    ]
    assert "Unheard" not in root.find("select", id="id_genre").text


def test_pagination_keeps_the_filters(client):
    genre = factories.GenreFactory(name="Shoegaze")
    for n in range(settings.ALBUMS_PER_PAGE + 2):
        factories.AlbumFactory(title=f"Album {n:02d}", genres=[genre])
    factories.AlbumFactory(title="Another genre")
    params = {"genre": "shoegaze", "sort": "-release_date"}
    _titles, root = shown(client, ALBUMS, params)
    next_link = root.find("a", rel="next").attrs["href"]
    assert "genre=shoegaze" in next_link and "sort=-release_date" in next_link and "page=2" in next_link

    second, root = shown(client, ALBUMS + next_link)
    assert len(second) == 2 and "Another genre" not in second
    assert root.find("select", id="id_genre").find("option", selected="").attrs["value"] == "shoegaze"
    assert "page=1" in root.find("a", rel="prev").attrs["href"]


# Garbage in the address ---------------------------------------------------------------------------

HOSTILE = [
    ("genre", "no-such-genre"),
    ("label", "' OR 1=1 --"),
    ("genre", "shoegaze\x00"),
    ("type", "password"),
    ("type", "null"),
    ("decade", "abc"),
    ("decade", "1995"),
    ("year_min", "abc"),
    ("year_min", "99999999999999999999"),
    ("year_max", "-1"),
    ("year_min", "1; DROP TABLE albums;--"),
    ("year_min", "2003.5"),
    ("year_min", "9" * 5000),
    ("band", "<script>alert(1)</script>"),
    ("has_reviews", "yes"),
    ("sort", "password"),
    ("sort", "title; DROP TABLE catalog_album"),
    ("sort", "-id"),
    ("film", "x" * 5000),
    ("artist", "\x00"),
]


def assert_form_error(response, value=None):
    assert response.status_code == 200
    root = parse(response.content)
    summary = root.find(id="filter-errors")
    assert summary is not None and summary.find("a") is not None, "the errors are summarised, linked to fields"
    assert root.find(class_="filter__error") is not None, "and repeated next to the field"
    assert root.find("title").text.startswith("Error:")
    assert root.find("article", class_="card") is None and root.find("a", class_="track-title") is None
    if value and "<" in value:
        assert value not in response.content.decode()
    return root


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=[f"{name}={value[:24]!r}" for name, value in HOSTILE])
def test_garbage_is_a_form_error(client, shelf, name, value):
    response = client.get(ALBUMS, {name: value})
    root = assert_form_error(response, value)
    field = root.find(id=f"id_{name}")
    assert field.attrs.get("aria-invalid") == "true"
    assert f"id_{name}_error" in field.attrs["aria-describedby"]
    assert "No albums shown" in result_count(root)


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --",
                                   "Robert'); DROP TABLE catalog_album;--", "%", "_", "\\", "名前"])
@pytest.mark.parametrize("name", ["artist", "film"])
def test_free_text_finds_nothing_and_is_escaped(client, shelf, name, value):
    response = client.get(ALBUMS, {name: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    root = parse(html)
    assert root.find(id="filter-errors") is None
    assert root.find("input", id=f"id_{name}").attrs["value"] == value
    assert root.find("article", class_="card") is None


def test_repeated_parameters_are_a_form_error(client, shelf):
    response = client.get(f"{ALBUMS}?genre=shoegaze&genre=ambient")
    root = assert_form_error(response)
    assert "Give one value only." in root.find(id="filter-errors").text


def test_range_the_wrong_way_round_is_a_form_error(client, shelf):
    root = assert_form_error(client.get(ALBUMS, {"year_min": "2005", "year_max": "2001"}))
    assert "Year to: This is less than “Year from”" in root.find(id="filter-errors").text


def test_errors_name_their_fields_and_keep_the_good_ones(client, shelf):
    response = client.get(ALBUMS, {"year_min": "abc", "decade": "abc", "genre": "shoegaze"})
    root = assert_form_error(response)
    errors = [item.text for item in root.find(id="filter-errors").find_all("li")]
    assert errors == ["Decade: That is not one of the choices: pick one from the list.",
                      "Year from: Enter a year as four digits, e.g. 2003."]
    assert [link.attrs["href"] for link in root.find(id="filter-errors").find_all("a")] == ["#id_decade",
                                                                                           "#id_year_min"]
    assert root.find("select", id="id_genre").find("option", selected="").attrs["value"] == "shoegaze"


def test_unknown_parameters_are_ignored(client, shelf):
    titles, root = shown(client, ALBUMS, {"utm_source": "newsletter", "password": "x"})
    assert titles == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert root.find(id="filter-errors") is None


def test_garbage_page_with_filters(client, shelf):
    titles, _root = shown(client, ALBUMS, {"genre": "shoegaze", "page": "abc"})
    assert titles == ["Alpha", "Charlie"]


# The track list -----------------------------------------------------------------------------------


@pytest.fixture
def tracks():
    """Tracks on two published albums and a draft one, by a person, by their group and by someone else."""
    kevin = factories.ArtistFactory(name="Kevin Shields")
    mbv = factories.ArtistFactory(name="My Bloody Valentine", kind=ArtistKind.GROUP)
    factories.MembershipFactory(group=mbv, member=kevin)
    air = factories.ArtistFactory(name="Air")
    lost = factories.AlbumFactory(title="Lost in Translation")
    loveless = factories.AlbumFactory(title="Loveless")
    draft = factories.AlbumFactory(title="Hidden", draft=True)

    def track(album, position, title, length, artist):
        made = factories.TrackFactory(album=album, position=position, title=title,
                                      length=datetime.timedelta(seconds=length) if length else None)
        factories.TrackArtistFactory(track=made, artist=artist)

    track(lost, 1, "City Girl", 234, kevin)
    track(lost, 2, "Alone in Kyoto", 288, air)
    track(lost, 3, "Ikenai", None, kevin)
    track(loveless, 1, "Only Shallow", 257, mbv)
    track(loveless, 2, "To Here Knows When", 331, mbv)
    track(draft, 1, "Secret", 100, kevin)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["City Girl", "Alone in Kyoto", "Ikenai", "Only Shallow", "To Here Knows When"]),
        ({"artist": "kevin shields"}, ["City Girl", "Ikenai", "Only Shallow", "To Here Knows When"]),
        ({"artist": "Air"}, ["Alone in Kyoto"]),
        ({"album": "loveless"}, ["Only Shallow", "To Here Knows When"]),
        ({"album": "Hidden"}, []),
        ({"length_min": "4:00"}, ["Alone in Kyoto", "Only Shallow", "To Here Knows When"]),
        ({"length_max": "4:17"}, ["City Girl", "Only Shallow"]),
        ({"length_min": "3:54", "length_max": "4:48"}, ["City Girl", "Alone in Kyoto", "Only Shallow"]),
        ({"sort": "-length"}, ["To Here Knows When", "Alone in Kyoto", "Only Shallow", "City Girl", "Ikenai"]),
        ({"sort": "length"}, ["City Girl", "Only Shallow", "Alone in Kyoto", "To Here Knows When", "Ikenai"]),
        ({"artist": "Kevin Shields", "album": "Lost in Translation", "length_min": "1:00"}, ["City Girl"]),
        ({"artist": "Kevin Shields", "length_max": "5:00", "sort": "-length"}, ["Only Shallow", "City Girl"]),
    ],
)
def test_track_filters(client, tracks, params, expected):
    titles, root = shown(client, TRACKS, params)
    assert titles == expected
    assert "Secret" not in root.text


TRACK_HOSTILE = [("length_min", "abc"), ("length_min", "-1:00"), ("length_max", "99999999999999999999:00"),
                 ("length_max", "999:00:00"), ("sort", "title"), ("album", "y" * 300),
                 ("length_min", "5:00&length_max=1:00")]


@pytest.mark.parametrize(("name", "value"), TRACK_HOSTILE)
def test_track_list_garbage_is_a_form_error(client, tracks, name, value):
    assert_form_error(client.get(TRACKS, {name: value}), value)


def test_track_list_range_the_wrong_way_round(client, tracks):
    assert_form_error(client.get(TRACKS, {"length_min": "5:00", "length_max": "1:00"}))


def test_track_list_count_and_links(client, tracks):
    titles, root = shown(client, TRACKS, {"artist": "Air"})
    assert result_count(root) == "1 track matches your filters."
    link = root.find("a", class_="track-title")
    assert link.attrs["href"].endswith("/albums/lost-in-translation/#track-1-2")
    assert root.find("nav", aria_label="Browse the catalog").find("a", aria_current="page").text == "Tracks"


def test_album_list_links_to_the_track_list(client):
    root = parse(client.get(ALBUMS).content)
    assert root.find("a", href=TRACKS) is not None
