from .aggregates import AlbumScore, ScorePeriod
from .articles import Article, Author
from .lists import BestOfList, Commentary, ListEntry
from .reviews import Critic, OutsideAggregate, Publication, PublicationKind, Review
from .scores import Band, Scale

__all__ = [
    "AlbumScore", "Article", "Author", "Band", "BestOfList", "Commentary", "Critic", "ListEntry",
    "OutsideAggregate", "Publication", "PublicationKind", "Review", "Scale", "ScorePeriod",
]
