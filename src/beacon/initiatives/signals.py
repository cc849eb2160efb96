"""Signals the initiatives app sends, so that apps built on it can react without
initiatives importing them (the events app depends on initiatives, never the reverse).

- `initiative_closed(sender=Initiative, initiative=..., actor=...)`: sent by
  `services.set_initiative_status` inside its transaction when an initiative becomes
  archived (its organisers archive it, or a moderator removes it). The events app
  connects it in `EventsConfig.ready()` and cancels the initiative's coming meetings with a
  notice to the people who answered them.
"""

from django.dispatch import Signal

initiative_closed = Signal()
