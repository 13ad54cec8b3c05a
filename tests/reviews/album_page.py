"""Reading the album page's Reception and Legacy sections the way a visitor does."""

from dataclasses import dataclass

from tests.pages import parse


@dataclass
class ShownScore:
    number: str  # "67", or "" when there is none
    band: str  # "Universal acclaim", "No verdict yet", …
    basis: str  # the sentence under it: what it rests on


def album_page(client, album):
    response = client.get(album.get_absolute_url())
    assert response.status_code == 200
    return parse(response.content)


def our_score(client, album):
    """Our aggregate as the album page shows it, read afresh (the next visitor's view)."""
    panel = album_page(client, album).find(id="reception").find(class_="scoreboard__panel--ours")
    number = panel.find(class_="score__number")
    band = panel.find(class_="score__band")
    return ShownScore(
        number=number.text.removesuffix("out of 100").strip() if number else "",
        band=band.text if band else "",
        basis=panel.find(class_="scoreboard__basis").text,
    )
