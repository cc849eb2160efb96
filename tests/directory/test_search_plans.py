"""How a search picks its candidate rows never changes what it finds or how it ranks.

The term index (`beacon.directory.terms`) only decides which rows are read: through it or
not, by the coordinates index or by the term index for a radius, by the term index or the
covering index for national and online rows, the same hits come back in the same order.
"""

import pytest

from beacon.directory import search as search_module
from beacon.directory import terms
from beacon.directory.demo import demo_id
from beacon.directory.indexing import reindex_services
from beacon.directory.models import Location, Service, ServiceAtLocation, ServiceIndex
from beacon.directory.search import Filters, search
from beacon.directory.taxonomy import taxonomy_id
from tests.directory.test_search import WEDNESDAY_MORNING, names, near

pytestmark = pytest.mark.django_db

CASES = {
    "one word": {"text": "counselling"},
    "two words": {"text": "family group"},
    "open now": {"text": "counselling", "open_now": True},
    "filters only": {"kinds": ("support-group", "crisis-helpline"), "audiences": ("youth",)},
    "word and channels": {"text": "line", "channels": ("call", "text"), "open_now": True},
    "language and cost": {"languages": ("es",), "costs": ("free",)},
    "24/7": {"text": "line", "always_open": True},
    "nothing": {},
}
PLACES = {"no place": None, "Portland 40 km": ("97214", 40), "Portland 10 km": ("97214", 10)}


def pages(filters: Filters) -> list[tuple]:
    found = []
    for page in (1, 2, 3):
        results = search(filters, now=WEDNESDAY_MORNING, page=page, per_page=3)
        found.append((results.hits, results.total))
    return found


@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("case", list(CASES))
def test_every_way_of_reading_finds_the_same(demo_directory, monkeypatch, case, place):
    where = PLACES[place]
    filters = (
        near(where[0], radius_km=where[1], **CASES[case])
        if where
        else Filters(country="US", **CASES[case])
    )
    usual = pages(filters)
    monkeypatch.setattr(search_module, "LOCAL_SCAN_ROWS", 0)  # as in a dense city
    dense = pages(filters)
    monkeypatch.setattr(terms, "kind", lambda: "")  # no term index: every row tested
    scanned = pages(filters)

    assert usual == dense == scanned
    assert usual[0][1] > 0  # each case finds something to compare


def test_a_code_that_is_not_one_token_is_matched_exactly(demo_directory):
    """A curator's own term with a code the index splits (here at "/") still matches only
    the services that have it, not those with "walk-in" alone."""
    from beacon.directory.models import Attribute, TaxonomyTerm

    kinds = taxonomy_id("resource-kind")
    split = TaxonomyTerm.objects.create(taxonomy_id=kinds, code="walk-in/drop-in", name="Split")
    plain = TaxonomyTerm.objects.create(taxonomy_id=kinds, code="walk-in", name="Walk in")
    with_split = Service.objects.get(id=demo_id("service", "rose-youth-dropin"))
    with_plain = Service.objects.get(id=demo_id("service", "bridgeway-veterans"))
    for service, term in ((with_split, split), (with_plain, plain)):
        Attribute.objects.create(
            link_entity="service", link_id=service.id, link_type="kind", taxonomy_term=term
        )
    reindex_services([with_split.id, with_plain.id])

    for filters in (
        Filters(kinds=("walk-in/drop-in",)),
        near("97214", radius_km=40, kinds=("walk-in/drop-in",)),
    ):
        assert names(search(filters, now=WEDNESDAY_MORNING)) == [with_split.name]
    assert names(search(Filters(kinds=("walk-in",)), now=WEDNESDAY_MORNING)) == [with_plain.name]


def test_a_national_service_with_a_location_in_the_radius_is_listed_once_as_local(
    demo_directory, monkeypatch
):
    service = Service.objects.filter(is_national=True).first()
    here = Location.objects.create(
        organization=service.organization,
        location_type="physical",
        latitude=45.52,
        longitude=-122.65,
    )
    ServiceAtLocation.objects.create(service=service, location=here)
    reindex_services([service.id])
    assert ServiceIndex.objects.filter(service=service, reach="local", also_wide=True).exists()

    for limit in (search_module.LOCAL_SCAN_ROWS, 0):
        monkeypatch.setattr(search_module, "LOCAL_SCAN_ROWS", limit)
        results = search(near("97214", radius_km=40), now=WEDNESDAY_MORNING, per_page=100)
        hits = [h for h in results.hits if h.service_id == service.id]
        assert [h.reach for h in hits] == ["local"]
        assert results.total == len(results.hits)
        # Far away it is national again.
        far = search(near("Burns, OR", radius_km=10), now=WEDNESDAY_MORNING, per_page=100)
        assert [h.reach for h in far.hits if h.service_id == service.id] == ["national"]


def test_the_term_index_follows_changed_rows(demo_directory):
    service = Service.objects.get(id=demo_id("service", "rose-youth-dropin"))
    assert not search(
        Filters(kinds=("crisis-helpline",), text="mentors"), now=WEDNESDAY_MORNING
    ).total
    # An update in place (no reindex) goes through the update trigger on SQLite.
    ServiceIndex.objects.filter(service=service).update(tags=" kind:crisis-helpline ")

    found = search(Filters(kinds=("crisis-helpline",), text="mentors"), now=WEDNESDAY_MORNING)
    assert names(found) == [service.name]
