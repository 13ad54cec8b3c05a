"""The load test's data: `seed` fills a migrated database, `verify` checks the editors' saves afterwards.

Run by loadtest/run.py with the environment of the server under test, never against a real database:
    python -m loadtest.data seed OUT.json     generated catalog, two editor accounts, what the users need
    python -m loadtest.data verify MARKERS.jsonl   every save the editors counted is in the database
"""

import datetime
import json
import os
import random
import secrets
import sys
from decimal import Decimal
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soundtrack_site.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402 (needs django.setup())
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from catalog.models import Album, AlbumType, Artist, ArtistKind, Film, Genre, Label, Status, Track, TrackArtist  # noqa: E402
from reviews.models import AlbumScore, Critic, Publication, Review, Scale  # noqa: E402
from reviews.models.scores import LETTER_GRADES, normalize  # noqa: E402

ALBUMS = 160  # 7 pages of 24
EDITOR_ALBUMS = 10  # per editor; each editor saves only its own, so no two saves race on one row
EDITOR_REVIEWS = 20
WORDS = [
    "midnight", "harbour", "neon", "rain", "velvet", "tokyo", "summer", "ghost", "river", "paper", "moon", "static",
    "orchid", "highway", "winter", "echo", "lantern", "satellite", "coral", "silver", "dust", "violet", "signal",
    "city", "glass", "dream", "hotel",
]


def seed(out):
    rng = random.Random(2003)
    now = timezone.now()
    with transaction.atomic():
        labels = Label.objects.bulk_create(Label(name=f"{w.title()} Records", slug=f"{w}-records") for w in WORDS[:6])
        genres = Genre.objects.bulk_create(Genre(name=f"{w} pop", slug=f"{w}-pop") for w in WORDS[6:14])
        artists = Artist.objects.bulk_create(
            Artist(name=f"{rng.choice(WORDS).title()} {w.title()} {n}", slug=f"load-artist-{n}", sort_name=f"{w} {n}",
                   kind=ArtistKind.GROUP if n % 5 == 0 else ArtistKind.PERSON)
            for n, w in enumerate(WORDS * 2)
        )
        films = Film.objects.bulk_create(
            Film(title=f"The {w.title()} Film", slug=f"the-{w}-film-{1990 + n}", year=1990 + n)
            for n, w in enumerate(WORDS)
        )
        albums = Album.objects.bulk_create(
            Album(
                title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {n}", slug=f"load-album-{n}",
                album_type=rng.choice(AlbumType.values),
                release_date=f"{rng.randint(1960, 2025)}-{rng.randint(1, 12):02d}",
                label=rng.choice(labels), film=rng.choice(films), catalogue_number=f"LOAD-{n:04d}",
                description=f"Generated album number {n}.",
                status=Status.DRAFT if n % 16 == 15 else Status.PUBLISHED, publish_at=now - datetime.timedelta(days=n),
                featured=n < 3,
            )
            for n in range(ALBUMS)
        )
        Album.genres.through.objects.bulk_create(
            Album.genres.through(album=album, genre=genre) for album in albums for genre in rng.sample(genres, 2)
        )
        tracks = Track.objects.bulk_create(
            Track(album=album, position=position, title=f"{rng.choice(WORDS).title()} {position}",
                  length=datetime.timedelta(seconds=rng.randint(60, 420)))
            for album in albums for position in range(1, rng.randint(6, 14))
        )
        TrackArtist.objects.bulk_create(TrackArtist(track=track, artist=rng.choice(artists)) for track in tracks)
        publications = Publication.objects.bulk_create(
            Publication(name=f"The {w.title()} Review", slug=f"the-{w}-review") for w in WORDS[:12]
        )
        critics = Critic.objects.bulk_create(Critic(name=f"{w.title()} Critic", slug=f"{w}-critic") for w in WORDS)
        reviews = Review.objects.bulk_create(
            rated(rng, Review(
                album=album, publication=publication, critic=rng.choice(critics), status=Status.PUBLISHED,
                publish_at=now, date=f"{rng.randint(1990, 2025)}-{rng.randint(1, 12):02d}", quote="",
            ))
            for album in albums for publication in rng.sample(publications, rng.randint(1, 6))
        )
        AlbumScore.refresh(*(album.pk for album in albums))

    # Each editor gets albums of its own and reviews of other albums: an album's form also posts its
    # inline reviews, so a review edited elsewhere must not be on an album an editor saves.
    saved_albums = albums[: 2 * EDITOR_ALBUMS]
    other_reviews = [review for review in reviews if review.album not in saved_albums]
    editors = []
    for number in range(2):
        password = secrets.token_urlsafe(16)
        user = get_user_model().objects.create_superuser(f"load-editor-{number}", "", password)
        # Superusers log in with a second factor: an authenticator app whose key the editor computes codes from.
        device = TOTPDevice.objects.create(user=user, name="load test", confirmed=True)
        editors.append({
            "username": user.username, "password": password, "totp_key": device.key,
            "albums": [album.pk for album in saved_albums[number::2]],
            "reviews": [review.pk for review in other_reviews[number : 4 * EDITOR_REVIEWS : 2]][:EDITOR_REVIEWS],
        })
    published = [album for album in albums if album.status == Status.PUBLISHED]
    Path(out).write_text(json.dumps({
        "editors": editors,
        "albums": [album.slug for album in published] + ["lost-in-translation"],
        "artists": [artist.slug for artist in artists] + ["kevin-shields", "sebastien-tellier"],
        "labels": [label.slug for label in labels],
        "genres": [genre.slug for genre in genres],
        "films": [film.slug for film in films],
        "publications": [publication.slug for publication in publications],
        "critics": [critic.slug for critic in critics],
        "film_titles": [film.title for film in films],
        "artist_names": [artist.name for artist in artists[:20]],
    }, indent=1))


def rated(rng, review):
    review.scale = rng.choice([Scale.OUT_OF_10, Scale.OUT_OF_100, Scale.STARS, Scale.LETTER, Scale.NONE])
    if review.scale == Scale.STARS:
        review.out_of, review.rating_value = 5, Decimal(rng.randint(0, 10)) / 2
    elif review.scale == Scale.OUT_OF_10:
        review.rating_value = Decimal(rng.randint(0, 100)) / 10
    elif review.scale == Scale.OUT_OF_100:
        review.rating_value = Decimal(rng.randint(0, 100))
    elif review.scale == Scale.LETTER:
        review.grade = rng.choice(list(LETTER_GRADES))
    review.score = normalize(review.scale, review.rating_value, review.out_of, review.grade)
    return review


def verify(markers):
    """The saves the editors counted as done whose marker is not in the row: [(kind, pk, marker)]."""
    saves = [json.loads(line) for line in Path(markers).read_text().splitlines() if line.strip()]
    text = {
        "album": dict(Album.objects.filter(pk__in=pks(saves, "album")).values_list("pk", "description")),
        "review": dict(Review.objects.filter(pk__in=pks(saves, "review")).values_list("pk", "quote")),
    }
    lost = [save for save in saves if save["marker"] not in text[save["kind"]].get(save["pk"], "").split()]
    return {"saves": len(saves), "lost": lost}


def pks(saves, kind):
    return {save["pk"] for save in saves if save["kind"] == kind}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "seed":
        seed(*args)
    else:
        print(json.dumps(verify(*args)))
