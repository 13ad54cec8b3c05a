"""schema.org descriptions of what critics say, as JSON-LD: an album's rating and reviews, lists, articles.

Ratings are given on our 0–100 scale, each review's as well as the aggregate: one scale for all, so that
a reader compares like with like, and a letter grade needs no made-up numeric scale. The rating as the
publication printed it ("6.3/10", "C+") is kept as the Rating's name.
"""

from django.utils import timezone

from catalog.structured_data import CONTEXT, absolute, artist_ref, compact, site_ref


def rating(score):
    return {"@type": "Rating", "ratingValue": score, "bestRating": 100, "worstRating": 0}


def publication_ref(publication, request):
    return compact({"@type": "Organization", "name": publication.name, "url": absolute(request, publication)})


def critic_ref(critic, request):
    return compact({"@type": "Person", "name": critic.name, "url": absolute(request, critic)})


def review(review, request):
    """A Review, from a review with its publication and critic; an unsigned one is by its publication."""
    publisher = publication_ref(review.publication, request)
    return compact({
        "@type": "Review",
        "url": review.url,
        "author": critic_ref(review.critic, request) if review.critic else publisher,
        "publisher": publisher,
        "datePublished": review.date,
        "description": review.quote,
        "reviewRating": compact(rating(review.score) | {"name": review.rating_display})
        if review.score is not None else None,
    })


def album_reception(aggregate, reviews, request):
    """The properties a MusicAlbum gains from its reviews: our aggregate (when a review is scored) and the reviews."""
    data = {"review": [review(each, request) for each in reviews]}
    if aggregate is not None and aggregate.score is not None and aggregate.scored_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": aggregate.score,
            "bestRating": 100,
            "worstRating": 0,
            "ratingCount": aggregate.scored_count,
            "reviewCount": aggregate.review_count,
        }
    return compact(data)


def album_ref(album, request):
    return compact({
        "@type": "MusicAlbum",
        "name": album.title,
        "url": absolute(request, album),
        "datePublished": album.release_date,
    })


def best_of_list(best_of, entries, request):
    """An ItemList of the list's albums in our catalog, at their ranks when the list is ranked."""
    entries = list(entries)
    return compact({
        "@context": CONTEXT,
        "@type": "ItemList",
        "@id": absolute(request, best_of),
        "url": absolute(request, best_of),
        "name": best_of.title,
        "description": best_of.description or f"{best_of.publication.name}’s list, as far as our catalog has it.",
        "itemListOrder": "https://schema.org/ItemListOrderAscending" if best_of.is_ranked
        else "https://schema.org/ItemListUnordered",
        "numberOfItems": len(entries),
        "itemListElement": [
            {"@type": "ListItem", "position": (entry.rank if best_of.is_ranked and entry.rank else index),
             "item": album_ref(entry.album, request)}
            for index, entry in enumerate(entries, start=1)
        ],
    })


def article(article, request):
    """An Article with its author, date, publisher (us) and the albums and artists it is about."""
    published = timezone.localtime(article.published_at).isoformat() if article.published_at else None
    return compact({
        "@context": CONTEXT,
        "@type": "Article",
        "@id": absolute(request, article),
        "url": absolute(request, article),
        "mainEntityOfPage": absolute(request, article),
        "headline": article.title,
        "description": article.standfirst,
        "author": {"@type": "Person", "name": article.author.name},
        "datePublished": published,
        "publisher": site_ref(request),
        "about": [album_ref(album, request) for album in article.albums.all()],
        "mentions": [artist_ref(artist, request) for artist in article.artists.all()],
    })


def publication(publication, request):
    return compact({
        "@context": CONTEXT,
        **publication_ref(publication, request),
        "@id": absolute(request, publication),
        "description": publication.description,
        "sameAs": publication.url,
    })


def critic(critic, publications, request):
    return compact({
        "@context": CONTEXT,
        **critic_ref(critic, request),
        "@id": absolute(request, critic),
        "description": critic.biography,
        "jobTitle": "Critic",
        "worksFor": [publication_ref(publication, request) for publication in publications],
    })
