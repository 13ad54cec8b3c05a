"""The data-quality report's checks on reviews and best-of lists (the report: catalog/admin/quality.py)."""

from collections import defaultdict

from django.db.models import Count, F, Max, Min, Q

from catalog.admin.quality import Problem, add_checks, change_url, section

from ..models import BestOfList, ListEntry, Review
from ..models.scores import Scale


def reviews_without_rating_or_quote():
    reviews = Review.objects.filter(Q(scale=Scale.NONE) | Q(quote="")).select_related(
        "album", "publication", "critic"
    ).order_by("album__title", "album_id", "publication__name")
    for review in reviews:
        missing = [what for what, absent in (("rating", review.scale == Scale.NONE), ("pull quote", not review.quote))
                   if absent]
        by = f", {review.critic.name}" if review.critic else ""
        yield Problem(f"{review.publication.name}{by}", review.album.title, f"No {' and no '.join(missing)}.",
                      change_url(review))


def format_ranks(ranks):
    """[3, 5, 6, 7] -> '3, 5–7'."""
    runs = []
    for rank in ranks:
        if runs and rank == runs[-1][1] + 1:
            runs[-1][1] = rank
        else:
            runs.append([rank, rank])
    return ", ".join(str(low) if low == high else f"{low}–{high}" for low, high in runs)


def lists_with_rank_gaps():
    """Ranked lists with a rank missing between their first and last entry here.

    Ranks before the first or after the last entry are not gaps: a list's other places are often albums
    this catalog does not have.
    """
    lists = list(
        BestOfList.objects.filter(is_ranked=True)
        .annotate(entry_count=Count("entries__rank"), low=Min("entries__rank"), high=Max("entries__rank"))
        .filter(high__gt=F("low") + F("entry_count") - 1)
        .select_related("publication")
    )
    ranks = defaultdict(set)
    entries = ListEntry.objects.filter(best_of_list__in=lists, rank__isnull=False)
    for list_id, rank in entries.values_list("best_of_list_id", "rank") if lists else ():
        ranks[list_id].add(rank)
    for best_of_list in lists:
        missing = sorted(set(range(best_of_list.low, best_of_list.high + 1)) - ranks[best_of_list.pk])
        yield Problem(str(best_of_list), "", f"No entry at rank {format_ranks(missing)}.", change_url(best_of_list))


def reviews_sections():
    return [
        section("reviews", "Reviews without a rating or a pull quote",
                "Drafts included. A review that printed no rating is fine; check that it did not.",
                reviews_without_rating_or_quote()),
        section("list-ranks", "Ranked lists with gaps in their ranks",
                "A rank is missing between the list's first and last entry here.", lists_with_rank_gaps()),
    ]


add_checks(reviews_sections, [Review, BestOfList])
