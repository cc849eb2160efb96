from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "beacon.events"
    label = "events"
    verbose_name = "Events and support groups"

    def ready(self) -> None:
        # Registers permissions, moderation, personal-data handlers and the demo seeder.
        from beacon.events import demo, moderation, personal_data, rules  # noqa: F401, PLC0415
        from beacon.events.services import cancel_meetings_of_closed_initiative  # noqa: PLC0415
        from beacon.initiatives.signals import initiative_closed  # noqa: PLC0415

        # An archived initiative's coming meetings are cancelled, with a notice.
        initiative_closed.connect(
            cancel_meetings_of_closed_initiative, dispatch_uid="events.initiative_closed"
        )
