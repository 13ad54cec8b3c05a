"""factory_boy factories for the catalog and the reviews. They chain: a TrackFactory makes its album,
which makes its label; a ReviewFactory makes its album, publication and critic.

Albums, reviews, lists and articles are published by default (most tests look at them as a visitor),
live from the moment they are built; `draft=True` makes a draft, `publish_at=<a future time>` (or
`published_at=` for an article) schedules one, `AlbumFactory(with_cover=True)` a cover built in
memory with Pillow.
Reviews are rated 8/10 unless told otherwise; the traits `stars`, `letter` and `unscored` give the
other scales.
"""

import datetime
import io
import os
import time
from decimal import Decimal

import django_otp
import factory
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory
from PIL import Image, ImageColor, ImageDraw, ImageFont

from catalog import models
from reviews import models as reviews


def image_bytes(image_format="PNG", size=(64, 64)):
    """A complete image file built in memory. Random pixels, so that it does not compress to a
    few bytes and cutting it in half really cuts into the picture data."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def artwork_bytes(title, size=(1200, 1200), hue=280):
    """A made-up sleeve or portrait as a JPEG: a gradient in the hue, a disc and the title. Unlike random
    pixels it looks like a picture in a screenshot, and it shows whether a thumbnail was cropped or squashed."""
    width, height = size
    dark, light = (ImageColor.getrgb(f"hsl({hue}, 45%, {lightness}%)") for lightness in (22, 62))
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, dark), Image.new("RGB", size, light), gradient)
    draw = ImageDraw.Draw(image)
    side = min(size)
    draw.ellipse((width / 2 - side / 4, height / 3 - side / 4, width / 2 + side / 4, height / 3 + side / 4),
                 fill=ImageColor.getrgb(f"hsl({(hue + 40) % 360}, 80%, 80%)"))
    font_size = side // 14
    while draw.textlength(title.upper(), font=ImageFont.load_default(size=font_size)) > width * 0.9:
        font_size -= 2
    draw.text((width / 2, height * 0.8), title.upper(), fill="white", anchor="mm",
              font=ImageFont.load_default(size=font_size))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def live_now(obj):
    """A published row's publish-at time when none is given: now, so that build() + bulk_create() work too."""
    return timezone.now() if obj.status == models.Status.PUBLISHED else None


class LabelFactory(DjangoModelFactory):
    class Meta:
        model = models.Label
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Label {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class GenreFactory(DjangoModelFactory):
    class Meta:
        model = models.Genre
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class FilmFactory(DjangoModelFactory):
    class Meta:
        model = models.Film

    title = factory.Sequence(lambda n: f"Film {n}")
    year = 2003
    slug = factory.LazyAttribute(lambda o: slugify(f"{o.title} {o.year}"))
    release_date = "2003-09-12"


class ArtistFactory(DjangoModelFactory):
    class Meta:
        model = models.Artist
        django_get_or_create = ["slug"]

    class Params:
        group = factory.Trait(kind=models.ArtistKind.GROUP)

    name = factory.Sequence(lambda n: f"Artist {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = models.ArtistKind.PERSON


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = models.Membership

    group = factory.SubFactory(ArtistFactory, group=True)
    member = factory.SubFactory(ArtistFactory)


class FilmCreditFactory(DjangoModelFactory):
    class Meta:
        model = models.FilmCredit

    film = factory.SubFactory(FilmFactory)
    artist = factory.SubFactory(ArtistFactory)
    role = models.FilmRole.DIRECTOR
    position = factory.Sequence(lambda n: n + 1)


class AlbumFactory(DjangoModelFactory):
    class Meta:
        model = models.Album
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=models.Status.DRAFT)
        with_cover = factory.Trait(
            cover=factory.django.ImageField(filename="cover.png", width=32, height=32, format="PNG"),
            cover_alt="A violet sleeve with the title in white letters.",
        )

    title = factory.Sequence(lambda n: f"Album {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    album_type = models.AlbumType.SOUNDTRACK
    release_date = "2003-09-09"
    label = factory.SubFactory(LabelFactory)
    catalogue_number = factory.Sequence(lambda n: f"CAT-{n:04d}")
    status = models.Status.PUBLISHED
    publish_at = factory.LazyAttribute(live_now)

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if create and extracted:
            self.genres.set(extracted)


class TrackFactory(DjangoModelFactory):
    class Meta:
        model = models.Track

    album = factory.SubFactory(AlbumFactory)
    disc = 1
    # Unique across the run, hence within any album; tests that care about order pass positions.
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Track {n}")
    length = datetime.timedelta(minutes=3, seconds=30)


class TrackArtistFactory(DjangoModelFactory):
    class Meta:
        model = models.TrackArtist

    track = factory.SubFactory(TrackFactory)
    artist = factory.SubFactory(ArtistFactory)
    position = 1


class TrackWriterFactory(DjangoModelFactory):
    class Meta:
        model = models.TrackWriter

    track = factory.SubFactory(TrackFactory)
    artist = factory.SubFactory(ArtistFactory)
    role = models.WriterRole.WRITER


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = models.Role
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"role {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CreditFactory(DjangoModelFactory):
    class Meta:
        model = models.Credit
        skip_postgeneration_save = True

    album = factory.SubFactory(AlbumFactory)
    artist = factory.SubFactory(ArtistFactory)
    role = factory.SubFactory(RoleFactory)
    position = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def tracks(self, create, extracted, **kwargs):
        if create and extracted:
            self.tracks.set(extracted)


class SampleFactory(DjangoModelFactory):
    class Meta:
        model = models.Sample
        skip_postgeneration_save = True

    track = factory.SubFactory(TrackFactory)
    album = factory.SelfAttribute("track.album")
    title = factory.Sequence(lambda n: f"Sampled song {n}")
    performer = factory.SubFactory(ArtistFactory, group=True)
    position = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def composers(self, create, extracted, **kwargs):
        if create and extracted:
            self.composers.set(extracted)

    @factory.post_generation
    def lyricists(self, create, extracted, **kwargs):
        if create and extracted:
            self.lyricists.set(extracted)


class SongInFilmFactory(DjangoModelFactory):
    """A song heard in the film but left off the album; pass track= for one that is on it."""

    class Meta:
        model = models.SongInFilm

    album = factory.SubFactory(AlbumFactory)
    title = factory.Sequence(lambda n: f"Film song {n}")
    artist = factory.SubFactory(ArtistFactory)
    position = factory.Sequence(lambda n: n + 1)


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = models.Edition

    album = factory.SubFactory(AlbumFactory)
    name = factory.Sequence(lambda n: f"Edition {n}")
    format = models.EditionFormat.CD
    label = factory.SelfAttribute("album.label")
    release_date = "2003-09-09"
    position = factory.Sequence(lambda n: n + 1)


class EditionTrackFactory(DjangoModelFactory):
    class Meta:
        model = models.EditionTrack

    edition = factory.SubFactory(EditionFactory)
    track = factory.SubFactory(TrackFactory, album=factory.SelfAttribute("..edition.album"))
    side = "A"
    position = factory.Sequence(lambda n: n + 1)


class ChartFactory(DjangoModelFactory):
    class Meta:
        model = models.Chart
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Chart {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ChartEntryFactory(DjangoModelFactory):
    class Meta:
        model = models.ChartEntry

    album = factory.SubFactory(AlbumFactory)
    chart = factory.SubFactory(ChartFactory)
    date = factory.Sequence(lambda n: f"{2003 + n % 20}-{1 + n % 12:02d}")
    peak_position = 12


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = models.Source

    album = factory.SubFactory(AlbumFactory)
    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = "Example Press"
    url = factory.Sequence(lambda n: f"https://example.com/source/{n}")
    position = factory.Sequence(lambda n: n + 1)


# Reviews ------------------------------------------------------------------------------------------


class PublicationFactory(DjangoModelFactory):
    class Meta:
        model = reviews.Publication
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Publication {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CriticFactory(DjangoModelFactory):
    class Meta:
        model = reviews.Critic
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Critic {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    @factory.post_generation
    def publications(self, create, extracted, **kwargs):
        if create and extracted:
            self.publications.set(extracted)


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = reviews.Review

    class Params:
        draft = factory.Trait(status=models.Status.DRAFT)
        stars = factory.Trait(scale=reviews.Scale.STARS, rating_value=Decimal("4"), out_of=5)
        letter = factory.Trait(scale=reviews.Scale.LETTER, rating_value=None, grade="B+")
        unscored = factory.Trait(scale=reviews.Scale.NONE, rating_value=None)

    album = factory.SubFactory(AlbumFactory)
    publication = factory.SubFactory(PublicationFactory)
    critic = factory.SubFactory(CriticFactory)
    date = "2003-09"
    quote = factory.Sequence(lambda n: f"Pull quote number {n}")
    scale = reviews.Scale.OUT_OF_10
    rating_value = Decimal("8")
    status = models.Status.PUBLISHED
    publish_at = factory.LazyAttribute(live_now)


class OutsideAggregateFactory(DjangoModelFactory):
    class Meta:
        model = reviews.OutsideAggregate

    album = factory.SubFactory(AlbumFactory)
    source = factory.Sequence(lambda n: f"Aggregator {n}")
    score = 84
    review_count = 9


class BestOfListFactory(DjangoModelFactory):
    """A ranked list of unknown size; pass `size=`, or `unranked=True` for a list in no order."""

    class Meta:
        model = reviews.BestOfList

    class Params:
        draft = factory.Trait(status=models.Status.DRAFT)
        unranked = factory.Trait(is_ranked=False)

    publication = factory.SubFactory(PublicationFactory)
    title = factory.Sequence(lambda n: f"The Best Soundtracks, part {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    published = "2019-02"
    is_ranked = True
    status = models.Status.PUBLISHED
    publish_at = factory.LazyAttribute(live_now)


class ListEntryFactory(DjangoModelFactory):
    """An entry at the list's next free rank (no rank on an unranked list)."""

    class Meta:
        model = reviews.ListEntry

    best_of_list = factory.SubFactory(BestOfListFactory)
    album = factory.SubFactory(AlbumFactory)
    rank = factory.LazyAttribute(
        lambda o: o.best_of_list.entries.count() + 1 if o.best_of_list.is_ranked else None
    )


class CommentaryFactory(DjangoModelFactory):
    class Meta:
        model = reviews.Commentary

    album = factory.SubFactory(AlbumFactory)
    speaker = factory.Sequence(lambda n: f"Speaker {n}")
    speaker_role = "critic"
    summary = factory.Sequence(lambda n: f"What speaker {n} said, in our words.")
    position = factory.Sequence(lambda n: n + 1)


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = reviews.Author
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = reviews.Article
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=models.Status.DRAFT, published_at=None)

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    author = factory.SubFactory(AuthorFactory)
    standfirst = "Why this soundtrack still matters."
    body = "A first paragraph.\n\nA second paragraph."
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    status = models.Status.PUBLISHED

    @factory.post_generation
    def albums(self, create, extracted, **kwargs):
        if create and extracted:
            self.albums.set(extracted)


# Many rows at once ---------------------------------------------------------------------------------


def bulk_catalog(count, start=0):
    """`count` published albums (numbered from `start`) with bulk_create, for query counts on a large catalog.

    Album n has its own film, label n % 5, genres n % 5 and (n + 1) % 5, type score when n % 3 == 0,
    a release in 200(n % 10), and three tracks: by the group "Bulk Band", by its member "Bulk Member" and
    by someone else. Even albums have four reviews (one per publication and critic, 80/100) and an
    aggregate scoring 60 + n % 40; odd ones have neither. No signals run: aggregates are written directly.
    """
    labels = [LabelFactory(name=f"Bulk label {k}") for k in range(5)]
    genres = [GenreFactory(name=f"Bulk genre {k}") for k in range(5)]
    member, other = ArtistFactory(name="Bulk Member"), ArtistFactory(name="Bulk Other")
    band = ArtistFactory(name="Bulk Band", group=True)
    models.Membership.objects.get_or_create(group=band, member=member)
    publications = [PublicationFactory(name=f"Bulk publication {k}") for k in range(4)]
    critics = [CriticFactory(name=f"Bulk critic {k}") for k in range(4)]
    numbers = range(start, start + count)
    live = timezone.now()

    films = models.Film.objects.bulk_create(
        models.Film(title=f"Bulk film {n}", slug=f"bulk-film-{n}", year=2000 + n % 10) for n in numbers
    )
    albums = models.Album.objects.bulk_create(
        models.Album(
            title=f"Bulk album {n:05d}", slug=f"bulk-album-{n:05d}", status=models.Status.PUBLISHED, publish_at=live,
            album_type=models.AlbumType.SCORE if n % 3 == 0 else models.AlbumType.SOUNDTRACK,
            release_date=f"{2000 + n % 10}-{n % 12 + 1:02d}-15", label=labels[n % 5], film=film,
        )
        for n, film in zip(numbers, films, strict=True)
    )
    models.Album.genres.through.objects.bulk_create(
        models.Album.genres.through(album=album, genre=genres[(n + step) % 5])
        for n, album in zip(numbers, albums, strict=True) for step in (0, 1)
    )
    tracks = models.Track.objects.bulk_create(
        models.Track(album=album, position=position, title=f"Bulk track {n}-{position}",
                     length=datetime.timedelta(minutes=3, seconds=n % 60 + position))
        for n, album in zip(numbers, albums, strict=True) for position in (1, 2, 3)
    )
    models.TrackArtist.objects.bulk_create(
        models.TrackArtist(track=track, artist=(band, member, other)[track.position - 1]) for track in tracks
    )
    reviewed = [(n, album) for n, album in zip(numbers, albums, strict=True) if n % 2 == 0]
    reviews.Review.objects.bulk_create(
        reviews.Review(album=album, publication=publication, critic=critic, date=f"{2000 + n % 10}-06",
                       scale=reviews.Scale.OUT_OF_10, rating_value=Decimal("8"), score=80,
                       quote=f"Bulk quote {n}", publish_at=live)
        for n, album in reviewed for publication, critic in zip(publications, critics, strict=True)
    )
    reviews.AlbumScore.objects.bulk_create(reviews.AlbumScore(album=album) for _n, album in reviewed)
    reviews.ScorePeriod.objects.bulk_create(
        reviews.ScorePeriod(album=album, position=0, mean=Decimal(60 + n % 40), score=60 + n % 40, scored_count=4,
                            review_count=4)
        for n, album in reviewed
    )
    return albums


class TOTPDeviceFactory(DjangoModelFactory):
    """A confirmed authenticator app with a random key; `user=` is required. `totp_code()` gives its codes."""

    name = "Authenticator app"
    confirmed = True

    class Meta:
        model = TOTPDevice


def totp_code(device, at=None):
    """The code the device's app shows at `at` (seconds since the epoch; now by default), from its key."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def log_in_verified(client, user):
    """client.force_login(user), with the session verified by the user's authenticator app (made if the user
    has none) as a login with its code leaves it: superusers and Editors get no admin page otherwise. For
    tests about something else than logging in; tests/test_two_factor.py types the codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDeviceFactory(user=user)
    client.force_login(user)
    request = HttpRequest()
    request.session, request.user = client.session, user
    django_otp.login(request, device)
    request.session.save()
    return client
