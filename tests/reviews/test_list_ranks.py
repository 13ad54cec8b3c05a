"""Two albums trading places in a best-of list save in one admin post (catalog/admin/inlines.py)."""

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import form_data

pytestmark = pytest.mark.django_db


def test_two_entries_swap_ranks_in_one_save(editor_client):
    best_of = factories.BestOfListFactory()
    first, second = factories.ListEntryFactory(best_of_list=best_of), factories.ListEntryFactory(best_of_list=best_of)
    url = reverse("admin:reviews_bestoflist_change", args=[best_of.pk])
    data = {**form_data(editor_client.get(url).content, form_id="bestoflist_form"), "_save": "Save"}
    data["entries-0-rank"], data["entries-1-rank"] = "2", "1"

    assert editor_client.post(url, data).status_code == 302
    assert list(best_of.entries.order_by("rank").values_list("album", flat=True)) == [second.album_id, first.album_id]
