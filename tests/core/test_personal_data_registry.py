"""Every model that holds personal data must say how it is exported and erased."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from beacon.core.personal_data import PERSONAL_FIELD_NAMES, PersonalDataRegistry, registry


def holds_personal_data(model: type[models.Model]) -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if model is user_model:
        return True
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations belong to the other model
        if getattr(field, "related_model", None) is user_model:
            return True
        if getattr(field, "name", "") in PERSONAL_FIELD_NAMES:
            return True
    return False


def test_every_model_holding_personal_data_has_a_handler_or_a_reasoned_exemption():
    uncovered = [
        m._meta.label
        for m in apps.get_models(include_auto_created=False)
        if holds_personal_data(m) and not registry.is_covered(m)
    ]

    assert uncovered == []


def test_the_detection_finds_models_that_point_at_users_or_hold_personal_fields():
    from axes.models import AccessAttempt
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    assert holds_personal_data(LogEntry)  # a foreign key to the user
    assert holds_personal_data(AccessAttempt)  # ip_address and username fields
    assert not holds_personal_data(ContentType)


def test_registry_refuses_duplicates_and_unreasoned_exemptions():
    fresh = PersonalDataRegistry()
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    fresh.register(user_model, section="a", export=lambda u: {}, erase=lambda u, m: None)

    with pytest.raises(ValueError):
        fresh.register(user_model, section="b", export=lambda u: {}, erase=lambda u, m: None)
    with pytest.raises(ValueError):
        fresh.exempt(user_model, reason="  ")
