"""Signal receivers: the search form's cached choices (taxonomy terms, languages offered)
are forgotten as soon as a term, a taxonomy or a language row is saved or deleted, so a
curator's change shows on the next search. Bulk writes send no signals: the importer calls
`queries.forget_choices` itself. Connected in `DirectoryConfig.ready()`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from beacon.directory.models import Language, Taxonomy, TaxonomyTerm
from beacon.directory.queries import forget_choices


def _term_changed(sender: Any, instance: TaxonomyTerm, **kwargs: Any) -> None:
    # Also after the commit: a search between the change and the commit caches the old list.
    ids = [instance.taxonomy_id]
    forget_choices(ids)
    transaction.on_commit(lambda: forget_choices(ids))


def _taxonomy_changed(sender: Any, instance: Taxonomy, **kwargs: Any) -> None:
    forget_choices([instance.pk])
    transaction.on_commit(lambda: forget_choices([instance.pk]))


def _language_changed(sender: Any, instance: Language, **kwargs: Any) -> None:
    forget_choices([])
    transaction.on_commit(lambda: forget_choices([]))


def connect() -> None:
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_term_changed, sender=TaxonomyTerm, dispatch_uid=f"directory.term_{name}")
        signal.connect(
            _taxonomy_changed, sender=Taxonomy, dispatch_uid=f"directory.taxonomy_{name}"
        )
        signal.connect(
            _language_changed, sender=Language, dispatch_uid=f"directory.language_{name}"
        )
