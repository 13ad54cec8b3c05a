"""What the histories of reviews, lists and articles keep; and the reception an album's history adds.

Imported by reviews/admin.py before its admin classes are built (see catalog/revisions.py).
"""

from catalog.revisions import BELONGS_TO, PLACES, register, register_album

from .models import Article, BestOfList, Commentary, ListEntry, OutsideAggregate, Review

# The album page edits its reception inline too, so an album revision holds it.
register_album("reviews", "outside_aggregates", "list_entries", "commentary")
register(Review)
register(BestOfList, follow=("entries",))
register(Article)  # Its albums and artists (many-to-many) are saved with it.
for model in (ListEntry, OutsideAggregate, Commentary):
    register(model)

PLACES.update({ListEntry: "rank", Commentary: "position"})
# A place in a list is the list's to publish, as on the album page (reviews/admin.py).
BELONGS_TO.update({ListEntry: "best_of_list", OutsideAggregate: "album", Commentary: "album"})
