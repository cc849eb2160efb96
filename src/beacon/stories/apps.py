from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "beacon.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        # Registers the moderation adapters, personal-data handlers and the demo seeder.
        from beacon.stories import demo, moderation, personal_data  # noqa: F401, PLC0415
