"""The buttons a person presses to reach a service: call, text, WhatsApp, chat, web, email."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import phonenumbers

from beacon.directory.enums import PhoneType


@dataclass(frozen=True)
class Action:
    channel: str  # call, text, chat, video, web, email
    label: str  # "Call 988"
    href: str
    note: str = ""


def _dial(number: str, country: str) -> str:
    """Digits a phone can dial: short codes stay as they are, others become E.164."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if len(digits.lstrip("+")) <= 6:
        return digits
    try:
        parsed = phonenumbers.parse(number, country or None)
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(parsed):
        return digits
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_action(phone, country: str) -> Action:  # type: ignore[no-untyped-def]
    shown = phone.number
    dial = _dial(phone.number, country)
    note = phone.description
    if phone.app == "whatsapp":
        return Action("text", f"WhatsApp {shown}", f"https://wa.me/{dial.lstrip('+')}", note)
    if phone.type == PhoneType.TEXT:
        if phone.text_keyword:
            href = f"sms:{dial}?body={quote(phone.text_keyword)}"
            return Action("text", f"Text {phone.text_keyword} to {shown}", href, note)
        return Action("text", f"Text {shown}", f"sms:{dial}", note)
    if phone.type == PhoneType.VIDEO:
        return Action("video", f"Video call {shown}", f"tel:{dial}", note)
    if phone.type == PhoneType.FAX:
        return Action("fax", f"Fax {shown}", "", note)
    return Action("call", f"Call {shown}", f"tel:{dial}", note)


def service_actions(service, country: str, phones=None) -> list[Action]:  # type: ignore[no-untyped-def]
    """Ways to reach `service`, most direct first (phones in their curated order; `phones`:
    the service's phones when already loaded)."""
    if phones is None:
        phones = service.phones.all()
    actions = [phone_action(p, service.country or country) for p in phones]
    actions = [a for a in actions if a.href]
    if service.chat_url:
        actions.append(Action("chat", "Chat online", service.chat_url))
    if service.url:
        actions.append(Action("web", "Website", service.url))
    if service.email:
        actions.append(Action("email", "Email", f"mailto:{service.email}"))
    return actions
