from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "beacon.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from beacon.moderation import personal_data  # noqa: F401, PLC0415 - registers handlers
