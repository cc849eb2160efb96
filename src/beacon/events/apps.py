from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "beacon.events"
    label = "events"
    verbose_name = "Events and support groups"

    def ready(self) -> None:
        # Registers permissions, moderation, personal-data handlers and the demo seeder.
        from beacon.events import demo, moderation, personal_data, rules  # noqa: F401, PLC0415
