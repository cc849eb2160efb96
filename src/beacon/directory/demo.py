"""Demo directory: a small region (Portland, Oregon) written by us, all fictional.

Loaded from data/demo_directory.json with stable ids, so running it again updates rather
than duplicates. The national crisis lines come from the help data (`load_crisis_lines`).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from beacon.core.demo import register_demo
from beacon.directory import models as m
from beacon.directory.indexing import reindex_services
from beacon.directory.taxonomy import load_beacon_taxonomy, term_id

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_directory.json"
NAMESPACE = uuid.UUID("0b7f3c52-8d7e-5a43-9a1f-6c2b1d4e8f90")
TAXONOMY_OF = {"kinds": "resource-kind", "audiences": "audience", "costs": "cost"}


def demo_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(parts))


def _t(value: str) -> time:
    return time.fromisoformat(value)


def _service(item: dict[str, Any], *, tz: str, today: date) -> m.Service:
    key = item["key"]
    org, _ = m.Organization.objects.update_or_create(
        id=demo_id("org", item["organization"]),
        defaults={"name": item["organization"], "description": item["org_description"]},
    )
    days = item.get("verified_days_ago")
    service, _ = m.Service.objects.update_or_create(
        id=demo_id("service", key),
        defaults={
            "organization": org,
            "name": item["name"],
            "description": item["description"],
            "url": item.get("url", ""),
            "chat_url": item.get("chat_url", ""),
            "status": item.get("status", "active"),
            "alert": item.get("alert", ""),
            "eligibility_description": item.get("eligibility", ""),
            "minimum_age": item.get("min_age"),
            "maximum_age": item.get("max_age"),
            "fees_description": item.get("fees", ""),
            "application_process": item.get("application", ""),
            "assured_date": today - timedelta(days=days) if days is not None else None,
            "time_zone": tz,
            "country": "US",
            "is_national": bool(item.get("national")),
        },
    )
    # Children are rebuilt each time (their ids derive from the service and position).
    service.phones.all().delete()
    service.schedules.all().delete()
    service.languages.all().delete()
    service.service_areas.all().delete()
    m.Attribute.objects.filter(link_entity="service", link_id=service.id).delete()
    for pos, phone in enumerate(item.get("phones", [])):
        m.Phone.objects.create(
            id=demo_id("phone", key, str(pos)),
            service=service,
            number=phone["number"],
            type=phone["type"],
            text_keyword=phone.get("keyword", ""),
            description=phone.get("description", ""),
            position=pos,
        )
    for pos, rule in enumerate(item.get("hours", [])):
        m.Schedule.objects.create(
            id=demo_id("schedule", key, str(pos)),
            service=service,
            freq=rule.get("freq", "WEEKLY"),
            byday=rule["days"],
            opens_at=_t(rule["opens"]),
            closes_at=_t(rule["closes"]),
            valid_from=date.fromisoformat(rule["from"]) if "from" in rule else None,
            valid_to=date.fromisoformat(rule["to"]) if "to" in rule else None,
            dtstart=date.fromisoformat(rule["from"]) if "from" in rule else None,
            channel=rule.get("channel", ""),
        )
    for holiday in item.get("holidays", []):
        day = date.fromisoformat(holiday)
        m.Schedule.objects.create(
            id=demo_id("holiday", key, holiday),
            service=service,
            valid_from=day,
            valid_to=day,
            closed=True,
            description=f"Closed on {day.day} {day:%B %Y} (holiday).",
        )
    for pos, (code, name) in enumerate(item.get("languages", [])):
        m.Language.objects.create(
            id=demo_id("language", key, str(pos)), service=service, code=code, name=name
        )
    for field, taxonomy in TAXONOMY_OF.items():
        for code in item.get(field, []):
            m.Attribute.objects.create(
                id=demo_id("attribute", key, taxonomy, code),
                link_id=service.id,
                link_entity="service",
                link_type=taxonomy,
                taxonomy_term_id=term_id(taxonomy, code),
            )
    if item.get("service_area"):
        m.ServiceArea.objects.create(
            id=demo_id("area", key), service=service, name=item["service_area"]
        )
    loc = item.get("location")
    if loc:
        location, _ = m.Location.objects.update_or_create(
            id=demo_id("location", key),
            defaults={
                "organization": org,
                "location_type": "physical",
                "name": loc["name"],
                "latitude": loc["lat"],
                "longitude": loc["lon"],
                "transportation": loc.get("transport", ""),
            },
        )
        location.addresses.all().delete()
        location.accessibility.all().delete()
        m.Address.objects.create(
            id=demo_id("address", key),
            location=location,
            address_1=loc["address"],
            city=loc["city"],
            state_province=loc.get("state", "OR"),
            postal_code=loc["postal_code"],
            country="US",
            address_type="physical",
        )
        if loc.get("accessibility"):
            m.Accessibility.objects.create(
                id=demo_id("access", key), location=location, description=loc["accessibility"]
            )
        m.ServiceAtLocation.objects.update_or_create(
            id=demo_id("sal", key), defaults={"service": service, "location": location}
        )
    return service


@register_demo("directory", order=30)
@transaction.atomic
def seed() -> str:
    load_beacon_taxonomy()
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    today = timezone.localdate()
    services = [_service(item, tz=data["time_zone"], today=today) for item in data["services"]]
    reindex_services()
    return f"{len(services)} demo services around {data['region']}, search index rebuilt"
