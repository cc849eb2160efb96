"""Signal receivers: an edit to a crisis line's directory rows is a local edit.

The directory must not know about help (it is the lower layer), so help listens: when an
admin or a curator saves or deletes the `Service`, a `Phone`, a `Schedule`, a `Language` or
a `CostOption` of a shipped crisis line, its listing is marked `locally_modified` and the
loader (`services.sync_crisis_lines`) stops overwriting it. The loader's own writes are not
edits (`services.is_loading`). A curator's "verified today" (a save of only
`assured_date`) is not an edit either: the loader keeps the later date while the line is
unchanged, and still delivers updates of the shipped file.
Connected in `HelpConfig.ready()`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from beacon.directory.models import CostOption, Language, Phone, Schedule, Service
from beacon.help.services import is_loading, mark_service_modified

VERIFICATION_ONLY = frozenset({"assured_date", "last_modified"})


def _service_saved(sender: Any, instance: Service, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or is_loading() or (update_fields and set(update_fields) <= VERIFICATION_ONLY):
        return
    mark_service_modified(instance.pk)


def _child_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or is_loading() or not instance.service_id:
        return
    mark_service_modified(instance.service_id)


def connect() -> None:
    post_save.connect(_service_saved, sender=Service, dispatch_uid="help.service_saved")
    for model in (Phone, Schedule, Language, CostOption):
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                _child_changed, sender=model, dispatch_uid=f"help.{model.__name__}.{name}"
            )
