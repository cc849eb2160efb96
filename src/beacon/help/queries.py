"""Reading crisis lines: which country a reader sees, and that country's lines.

The lines are directory services (see sync.py); `CrisisLineCard` is how the help page and
the crisis panel show one: its contacts (call, text, WhatsApp, chat, email, website) with
their links and hours, read from the service's phones and per-channel schedules.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any

import phonenumbers
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest

from beacon.directory.enums import PhoneType, ServiceStatus
from beacon.directory.indexing import rule_from_schedule
from beacon.directory.models import Attribute, Phone, Service
from beacon.directory.opening import is_always_open, weekly_hours
from beacon.directory.taxonomy import taxonomy_id
from beacon.help.models import CrisisListing, HelpCountry
from beacon.help.sync import OPEN_24_7, SCHEDULE_CHANNEL

COUNTRY_COOKIE = "beacon_country"
HOURS_NOT_CONFIRMED = "Hours not confirmed"
SHOWN_STATUSES = (ServiceStatus.ACTIVE,)
CALL_TYPES = (PhoneType.VOICE, PhoneType.CELL, "")
DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def country_choices() -> list[tuple[str, str]]:
    """Return (code, name) for every country with at least one visible line."""
    return list(
        HelpCountry.objects.filter(
            listings__is_hidden=False, listings__service__status__in=SHOWN_STATUSES
        )
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )


def resolve_country_code(request: HttpRequest) -> str:
    """Return the reader's country: `?country=`, then the cookie, then the account setting,
    then the site default. Never guessed from the IP address."""
    for candidate in (
        request.GET.get("country", ""),
        request.COOKIES.get(COUNTRY_COOKIE, ""),
        getattr(request.user, "country", "") if request.user.is_authenticated else "",
    ):
        code = (candidate or "").strip().upper()
        if len(code) == 2 and code.isalpha():
            return code
    return settings.BEACON_DEFAULT_COUNTRY


def country_for_code(code: str) -> HelpCountry | None:
    """Return the country with `code`, or None when Beacon has no lines for it."""
    return HelpCountry.objects.filter(code=code.upper()).first()


@dataclass
class Contact:
    """One way to reach a line: a button with a link, and when it is answered."""

    kind: str  # call, text, whatsapp, chat, email, web
    label: str
    href: str
    hours: str = ""
    open_24_7: bool = False
    unverified: bool = False
    value: str = ""  # the number, for phones
    display: str = ""  # the phone's description, e.g. "0800 111 0 111"
    keyword: str = ""  # the word to text


class ContactList(list):
    """Contacts that templates written for the old `CrisisLine.channels` can still read
    (`line.channels.all`); new templates use `line.contacts` / `line.quick_contacts`."""

    def all(self) -> ContactList:
        return self


@dataclass
class CrisisLineCard:
    """A crisis line as the help page shows it (a directory service and its listing)."""

    listing: CrisisListing
    service: Service
    contacts: list[Contact]
    languages: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    free: bool = False

    @property
    def name(self) -> str:
        return self.service.name

    @property
    def description(self) -> str:
        return self.service.description

    @property
    def service_id(self) -> uuid.UUID:
        return self.service.id

    @property
    def slug(self) -> str:
        return self.listing.slug

    @property
    def is_verified(self) -> bool:
        return self.listing.is_verified

    @property
    def verified_on(self) -> date | None:
        return self.service.assured_date

    @property
    def source(self) -> str:
        return self.listing.source

    @property
    def specific_audiences(self) -> list[str]:
        """Audiences other than "everyone", for showing who a line is especially for."""
        return self.audiences

    @property
    def channels(self) -> ContactList:
        return ContactList(self.contacts)

    @property
    def quick_contacts(self) -> list[Contact]:
        """Calls and texts: what the crisis panel offers."""
        return [c for c in self.contacts if c.kind in ("call", "text")]


def _listings(country: HelpCountry, *, verified_only: bool = False) -> Any:
    qs = CrisisListing.objects.filter(
        country=country, is_hidden=False, service__status__in=SHOWN_STATUSES
    )
    if verified_only:
        qs = qs.filter(status="confirmed")
    return qs.select_related("service", "country").order_by("-status", "position", "service__name")


def visible_lines(country: HelpCountry) -> list[CrisisLineCard]:
    """The lines shown for `country` with everything the help page shows (5 queries)."""
    listings = list(
        _listings(country).prefetch_related(
            Prefetch("service__phones", queryset=Phone.objects.order_by("position", "number")),
            "service__schedules",
            "service__languages",
        )
    )
    details = _audiences_and_cost([listing.service_id for listing in listings])
    cards = []
    for listing in listings:
        audiences, free = details.get(listing.service_id, ([], False))
        languages = sorted(lang.code for lang in listing.service.languages.all() if lang.code)
        cards.append(
            CrisisLineCard(
                listing=listing,
                service=listing.service,
                contacts=contacts_of(listing.service, listing),
                languages=languages,
                audiences=audiences,
                free=free,
            )
        )
    return cards


def panel_lines(country: HelpCountry, *, limit: int = 2) -> list[CrisisLineCard]:
    """The first verified lines of `country`, for the crisis panel (3 queries)."""
    listings = _listings(country, verified_only=True)[:limit].prefetch_related(
        Prefetch("service__phones", queryset=Phone.objects.order_by("position", "number")),
        "service__schedules",
    )
    return [
        CrisisLineCard(
            listing=listing, service=listing.service, contacts=contacts_of(listing.service, listing)
        )
        for listing in listings
    ]


def _audiences_and_cost(ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[list[str], bool]]:
    audience, cost = taxonomy_id("audience"), taxonomy_id("cost")
    found: dict[uuid.UUID, tuple[list[str], bool]] = defaultdict(lambda: ([], False))
    rows = (
        Attribute.objects.filter(
            link_entity="service", link_id__in=ids, taxonomy_term__taxonomy_id__in=[audience, cost]
        )
        .order_by("taxonomy_term__name")
        .values_list(
            "link_id", "taxonomy_term__taxonomy_id", "taxonomy_term__code", "taxonomy_term__name"
        )
    )
    for link_id, tax, code, name in rows:
        names, free = found[link_id]
        if tax == audience and code != "everyone":
            names.append(name)
        found[link_id] = (names, free or (tax == cost and code == "free"))
    return dict(found)


def _wa_me(number: str, country: str) -> str:
    # wa.me needs the full international number without "+" or a national leading 0.
    try:
        parsed = phonenumbers.parse(number, country or None)
    except phonenumbers.NumberParseException:
        return f"https://wa.me/{number.lstrip('+')}"
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"https://wa.me/{e164[1:]}"


def _phone_contact(phone: Phone, country: str) -> Contact | None:
    shown = phone.description or phone.number
    about = {"value": phone.number, "display": phone.description}
    if phone.app == "whatsapp":
        label = shown if shown.lower().startswith("whatsapp") else f"WhatsApp {shown}"
        return Contact("whatsapp", label, _wa_me(phone.number, country), **about)
    if phone.type == PhoneType.TEXT:
        keyword = phone.text_keyword
        label = f"Text {keyword} to {phone.number}" if keyword else f"Text {phone.number}"
        # `sms:NUMBER?body=KEYWORD` is understood by Android and iOS alike.
        href = f"sms:{phone.number}?body={keyword}" if keyword else f"sms:{phone.number}"
        return Contact("text", label, href, keyword=keyword, **about)
    if phone.type in CALL_TYPES:
        return Contact("call", f"Call {shown}", f"tel:{phone.number}", **about)
    return None


def _labels(phone: Phone) -> list[str]:
    return [x for x in (phone.description, phone.number) if x]


def contacts_of(service: Service, listing: CrisisListing) -> list[Contact]:
    """The contacts of a service, in order: phones, chat, email, website; with hours."""
    unverified = set(listing.unverified_contacts or [])
    contacts: list[tuple[Contact, str, list[str]]] = []  # (contact, hours channel, labels)
    for phone in service.phones.all():
        contact = _phone_contact(phone, service.country)
        if contact:
            contact.unverified = f"{contact.kind}:{phone.number}" in unverified
            contacts.append((contact, SCHEDULE_CHANNEL[contact.kind], _labels(phone)))
    if service.chat_url:
        contacts.append((Contact("chat", "Chat online", service.chat_url), "chat", ["Chat"]))
    if service.email:
        contacts.append((Contact("email", "Email", f"mailto:{service.email}"), "", []))
    if service.url:
        contacts.append((Contact("web", "Website", service.url), "", []))
    labels_by_channel: dict[str, list[str]] = defaultdict(list)
    for _, channel, labels in contacts:
        labels_by_channel[channel] += labels
    schedules = list(service.schedules.all())
    for contact, channel, labels in contacts:
        if contact.kind in ("chat", "email", "web"):
            contact.unverified = contact.kind in unverified
        if channel:
            contact.hours, contact.open_24_7 = _hours(
                schedules, channel, labels, labels_by_channel[channel]
            )
    return [c for c, _, _ in contacts]


def _hours(
    schedules: list[Any], channel: str, labels: list[str], all_labels: list[str]
) -> tuple[str, bool]:
    """Hours of one contact: rows "LABEL: text" for it, else the channel's hours."""
    rows = [s for s in schedules if s.channel in (channel, "")]
    own = [
        s.description[len(label) + 2 :]
        for s in rows
        for label in labels
        if s.description.startswith(f"{label}: ")
    ]
    if own:
        text = "; ".join(own)
        return text, text == OPEN_24_7
    shared = [s for s in rows if not any(s.description.startswith(f"{lb}: ") for lb in all_labels)]
    rules = tuple(r for r in (rule_from_schedule(s) for s in shared) if r)
    if rules and is_always_open(rules, channel=channel):
        return OPEN_24_7, True
    texts = [s.description for s in shared if s.description]
    if rules:
        week = _week_text(rules, channel)
        if week:
            texts.insert(0, week)
    return "; ".join(texts) or HOURS_NOT_CONFIRMED, False


def _week_text(rules: tuple[Any, ...], channel: str) -> str:
    """ "Mon–Fri 09:00–17:00, Sat 10:00–14:00" from weekly rules (closed days left out)."""
    parts = []
    days = weekly_hours(rules, channel=channel)
    for text, run in groupby(days, key=lambda day: day[1]):
        run = list(run)
        if text == "Closed":
            continue
        first, last = DAY_ABBR[run[0][0]], DAY_ABBR[run[-1][0]]
        parts.append(f"{first}–{last} {text}" if first != last else f"{first} {text}")
    return ", ".join(parts)
