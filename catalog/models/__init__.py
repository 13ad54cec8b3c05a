from .albums import (
    Album,
    AlbumType,
    Chart,
    ChartEntry,
    Edition,
    EditionFormat,
    EditionTrack,
    Source,
)
from .base import Status
from .films import Film, FilmCredit, FilmRole, SongInFilm
from .people import Artist, ArtistKind, Genre, Label, Membership
from .tracks import Credit, Role, Sample, Track, TrackArtist, TrackWriter, WriterRole

__all__ = [
    "Album", "AlbumType", "Artist", "ArtistKind", "Chart", "ChartEntry", "Credit", "Edition",
    "EditionFormat", "EditionTrack", "Film", "FilmCredit", "FilmRole", "Genre", "Label",
    "Membership", "Role", "Sample", "SongInFilm", "Source", "Status", "Track", "TrackArtist",
    "TrackWriter", "WriterRole",
]
