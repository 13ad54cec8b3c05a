"""What the histories of reviews, lists and articles keep; and the reception an album's history holds too.

Imported by reviews/admin/__init__.py before its admin classes are built (see catalog/admin/history.py).
"""

from catalog.admin import history
from catalog.models import Album

from ..models import Article, BestOfList, Commentary, ListEntry, OutsideAggregate, Review

history.register(Review)
history.register(BestOfList, follow=("entries",))
history.register(Article)  # Its albums and artists (many-to-many) are saved with it.
# A place in a list is the list's to publish, as on the album page (reviews/admin/__init__.py).
history.register(ListEntry, belongs_to="best_of_list")
history.register(OutsideAggregate, belongs_to="album")
history.register(Commentary, belongs_to="album")

# The album page edits its reception inline too, so an album's revision holds it.
history.follow(Album, "reviews", "outside_aggregates", "list_entries", "commentary")
