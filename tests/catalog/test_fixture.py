"""The Lost in Translation fixture, checked where it matters: on the pages a visitor reads.

Every fact below comes from the project's reference notes on the album; a template or a fixture
edit that loses one of them fails here.
"""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils.html import escape

from catalog.models import Album
from tests.conftest import FIXTURE
from tests.pages import parse

pytestmark = pytest.mark.django_db

TITLE = "Lost in Translation: Music from the Motion Picture Soundtrack"

# (title, performers as the sleeve credits them); the hidden track follows the 15, the bonus track ends.
TRACKS = [
    ("Intro / Tokyo", ""),
    ("City Girl", "Kevin Shields"),
    ("Fantino", "Sébastien Tellier"),
    ("Tommib", "Squarepusher"),
    ("Girls", "Death in Vegas"),
    ("Goodbye", "Kevin Shields"),
    ("Too Young", "Phoenix"),
    ("Kaze wo Atsumete", "Happy End"),
    ("On the Subway", "Brian Reitzell & Roger Joseph Manning Jr."),
    ("Ikebana", "Kevin Shields"),
    ("Sometimes", "My Bloody Valentine"),
    ("Alone in Kyoto", "Air"),
    ("Shibuya", "Brian Reitzell & Roger Joseph Manning Jr."),
    ("Are You Awake?", "Kevin Shields"),
    ("Just Like Honey", "The Jesus and Mary Chain"),
    ("More Than This", "Bill Murray"),
    ("50 Floors Up", "Brian Reitzell & Roger Joseph Manning Jr."),
]

PERSONNEL = {
    "Richard Beggs": ["sound design"],
    "Kevin Shields": ["production", "engineering"],
    # The reference lists drums, engineering and production; the fixture adds the two infobox roles.
    "Brian Reitzell": ["music supervision", "executive production", "drums", "engineering", "production"],
    "Bryan Mills": ["bass guitar", "engineering"],
    "James Brown": ["engineering"],
    "Rob Kirwan": ["engineering"],
    "Roger Joseph Manning Jr.": ["production"],
    "Justin Stanley": ["mixing"],
    "Air": ["production"],
    "Nigel Godrich": ["mixing"],
    "Dan Hersch": ["mastering"],
    "Bill Inglot": ["mastering"],
}

LP_ORDER = [
    "A1 Intro / Tokyo", "A2 City Girl", "A3 Shibuya", "A4 Fantino", "A5 Goodbye", "A6 Girls", "A7 Tommib",
    "A8 Too Young", "B1 Kaze wo Atsumete", "B2 On the Subway", "B3 Ikebana", "B4 Sometimes",
    "B5 Alone in Kyoto", "B6 Are You Awake?", "B7 Just Like Honey",
]


@pytest.fixture
def album_page(client, lost_in_translation):
    response = client.get(lost_in_translation.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return html, parse(html)


def section(root, section_id):
    element = root.find(id=section_id)
    assert element is not None, f"the album page has no #{section_id} section"
    return element


def track_rows(html):
    """The rows of the track table, in page order, as (raw HTML, parsed row)."""
    table = re.search(r'id="tracks".*?</table>', html, re.S)
    assert table, "no track table"
    bodies = re.findall(r"<tbody\b[^>]*>(.*?)</tbody>", table.group(0), re.S)
    rows = [row for body in bodies for row in re.findall(r"<tr\b.*?</tr>", body, re.S)]
    return [(row, parse(row).find("tr")) for row in rows]


def strip_tags(raw):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", raw)).strip()


def unique(items):
    return list(dict.fromkeys(items))


def infobox_facts(root):
    """The first <dl> with a Type: {term: description text}, as the infobox shows them."""
    for dl in root.find_all("dl"):
        terms = [dt.text for dt in dl.find_all("dt")]
        if "Type" in terms:
            return {dt.text: dd.text for dt, dd in zip(dl.find_all("dt"), dl.find_all("dd"), strict=True)}, dl
    raise AssertionError("no infobox")


def test_title(album_page):
    html, root = album_page
    assert root.find("h1").text == TITLE
    assert TITLE in root.find("title").text


def test_infobox(album_page):
    html, root = album_page
    facts, infobox = infobox_facts(root)
    assert facts["Type"] == "Soundtrack"
    assert facts["Released"] == "9 September 2003"
    assert facts["Genres"] == "Dream pop, Shoegaze"
    assert facts["Length"] == "53:48"
    assert "Emperor Norton Records" in facts["Label"]
    assert "EMN7068-2" in infobox.text
    assert facts["Music supervisor"] == "Brian Reitzell"
    assert facts["Executive producer"] == "Brian Reitzell"
    assert facts["Film"].startswith("Lost in Translation (2003)")
    links = {a.text: a.attrs["href"] for a in infobox.find_all("a")}
    assert links["Shoegaze"] == "/genres/shoegaze/"
    assert links["Dream pop"] == "/genres/dream-pop/"
    assert links["Emperor Norton Records"] == "/labels/emperor-norton/"
    assert links["Brian Reitzell"] == "/artists/brian-reitzell/"
    assert links["Lost in Translation"] == "/films/lost-in-translation/"


def test_track_listing_in_order(album_page):
    html, root = album_page
    rows = track_rows(html)
    titles = [row.find(class_="track-title").text for _, row in rows]
    assert titles == [title for title, _ in TRACKS]
    # The same order read straight off the HTML.
    positions = [html.index(f'<span class="track-title">{escape(title)}</span>') for title, _ in TRACKS]
    assert positions == sorted(positions)


def test_track_numbers_skip_the_hidden_track(album_page):
    html, root = album_page
    rows = {row.find(class_="track-title").text: row for _, row in track_rows(html)}
    numbers = [rows[title].find("td").text for title, _ in TRACKS if title != "More Than This"]
    assert numbers == [str(n) for n in range(1, 17)]
    assert "Hidden track" in rows["More Than This"].text
    assert not any(character.isdigit() for character in rows["More Than This"].find("td").text)
    assert "Bonus" in rows["50 Floors Up"].text
    assert "Japanese edition only" in rows["50 Floors Up"].text


def test_track_performers(album_page):
    html, root = album_page
    for (raw, row), (title, performers) in zip(track_rows(html), TRACKS, strict=True):
        names = unique(a.text for a in row.find_all("a"))
        expected = [name for name in performers.split(" & ") if name]
        assert names == expected, title
        if " & " in performers:
            # The join phrase is text, escaped once: & in the page source is &amp;.
            assert escape(performers) in strip_tags(raw), title
    assert "Brian Reitzell &amp; Roger Joseph Manning Jr." in html


def test_kaze_wo_atsumete_with_its_japanese_title(album_page):
    html, root = album_page
    row = next(row for _, row in track_rows(html) if "Kaze wo Atsumete" in row.text)
    assert "風をあつめて" in row.text
    assert "Happy End" in row.text


def test_kevin_shields_songs_on_his_page(client, lost_in_translation):
    response = client.get("/artists/kevin-shields/")
    assert response.status_code == 200
    html = response.content.decode()
    body = re.search(r"<tbody\b.*?</tbody>", re.search(r"<table\b.*?</table>", html, re.S).group(0), re.S).group(0)
    rows = [parse(row) for row in re.findall(r"<tr\b.*?</tr>", body, re.S)]
    songs = {row.find(class_="track-title").text: row.text for row in rows}
    assert sorted(songs) == sorted(["City Girl", "Goodbye", "Ikebana", "Are You Awake?", "Sometimes"])
    assert "My Bloody Valentine" in songs["Sometimes"]
    assert all(TITLE in text for text in songs.values())


def test_personnel(album_page):
    html, root = album_page
    entries = section(root, "personnel").find_all("li")
    found = {}
    for entry in entries:
        name = entry.find("a").text
        roles = entry.text.removeprefix(name).strip()
        found[name] = [role.strip() for role in roles.split(",")]
    assert found == PERSONNEL
    assert list(found) == list(PERSONNEL)  # in credit order


def test_samples(album_page):
    html, root = album_page
    samples = [li.text for li in section(root, "samples").find_all("li")]
    expected = [
        ("Lost Generation", "Sora Izumikawa"),
        ("Kitakaze To Taiyo", "Miki Watanabe"),
        ("Carpe Diem – Ima Konoshunkanwo Ikiru", "Akinori Kumata"),
    ]
    assert len(samples) == len(expected)
    for text, (title, composer) in zip(samples, expected, strict=True):
        assert title in text
        assert composer in text
        assert "Yellow Generation" in text
        assert "Masato Ochi" in text
        assert "Intro / Tokyo" in text


def song_entries(root):
    """Songs heard in the film: {title: (text, links to an album track?)}."""
    entries = {}
    for li in section(root, "in-the-film").find_all("li"):
        hrefs = [a.attrs.get("href", "") for a in li.find_all("a")]
        entries[li.text] = any(href.startswith("#track-") for href in hrefs)
    return entries


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("More Than This", ["karaoke", "Bill Murray"]),
        ("Just Like Honey", ["closing scene", "The Jesus and Mary Chain"]),
        ("Sometimes", ["My Bloody Valentine"]),
    ],
)
def test_songs_in_the_film_on_the_album(album_page, title, words):
    html, root = album_page
    matches = [(text, on_album) for text, on_album in song_entries(root).items() if text.startswith(title)]
    assert len(matches) == 1, title
    text, on_album = matches[0]
    assert on_album, f"{title} should link to its track"
    for word in words:
        assert word in text


@pytest.mark.parametrize(
    ("title", "artist"),
    [
        ("Brass in Pocket", "The Pretenders"),
        ("(What's So Funny 'Bout) Peace, Love, and Understanding", None),
        ("The State We're In", "The Chemical Brothers"),
        ("When Doves Cry", "Patti Smith"),
        ("Fuck the Pain Away", "Peaches"),
    ],
)
def test_songs_in_the_film_off_the_album(album_page, title, artist):
    html, root = album_page
    assert escape(title) in html  # apostrophes escaped once, not twice
    matches = [(text, on_album) for text, on_album in song_entries(root).items() if text.startswith(title)]
    assert len(matches) == 1, title
    text, on_album = matches[0]
    assert not on_album, f"{title} is not on the album and should not link to a track"
    if artist:
        assert artist in text


def editions(root):
    """{edition name: its container element}: each edition's heading and what shares its parent."""
    return {heading.text: heading.parent for heading in section(root, "editions").find_all("h3")}


def test_original_cd_edition(album_page):
    html, root = album_page
    cd = editions(root)["Original CD"].text
    assert "EMN7068-2" in cd
    assert "9 September 2003" in cd
    assert "Emperor Norton Records" in cd


def test_record_store_day_lp_edition(album_page):
    html, root = album_page
    lp = editions(root)["2019 Record Store Day LP"]
    assert "603497854400" in lp.text
    assert "8,000 copies" in lp.text
    assert "Vinyl LP" in lp.text
    assert [li.text for li in lp.find("ol").find_all("li")] == LP_ORDER
    assert lp.find("a", href="https://www.discogs.com/release/13468045") is not None


def test_sources(album_page):
    html, root = album_page
    sources = [li.text for li in section(root, "sources").find_all("li")]
    assert len(sources) == 4
    for title, publisher in [
        ("Lost in Translation (soundtrack)", "Wikipedia"),
        ("Lost in Translation (CD)", "cinemamusica.de"),
        ("Lost in Translation (2019 Record Store Day LP)", "Discogs"),
        ("Lost in Translation (2003)", "IMDb"),
    ]:
        assert any(title in text and publisher in text for text in sources), title
    links = {a.attrs["href"] for a in section(root, "sources").find_all("a")}
    assert "https://en.wikipedia.org/wiki/Lost_in_Translation_(soundtrack)" in links
    assert "https://www.imdb.com/title/tt0335266/" in links


def test_the_label_genre_and_film_pages_list_the_album(client, lost_in_translation):
    for url in ["/labels/emperor-norton/", "/genres/shoegaze/", "/genres/dream-pop/", "/films/lost-in-translation/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert parse(response.content).find("a", href=lost_in_translation.get_absolute_url()) is not None, url


def test_the_film_page_lists_the_songs_in_the_film(client, lost_in_translation):
    text = parse(client.get("/films/lost-in-translation/").content).text
    for title in ["Brass in Pocket", "More Than This", "Just Like Honey", "Fuck the Pain Away"]:
        assert title in text
    assert "Sofia Coppola" in text


def catalog_row_counts():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("catalog").get_models()} | {
        "Album.genres": Album.genres.through.objects.count(),
    }


def test_loading_twice_duplicates_nothing(lost_in_translation):
    first = catalog_row_counts()
    call_command("load_checked", str(FIXTURE), verbosity=0)
    assert catalog_row_counts() == first
    assert first["Album"] == 1 and first["Track"] == 17 and first["Credit"] == 18


def test_every_object_passes_full_clean(lost_in_translation):
    checked = 0
    for model in apps.get_app_config("catalog").get_models():
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked >= 140
