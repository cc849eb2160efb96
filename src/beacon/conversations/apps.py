from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "beacon.conversations"
    label = "conversations"
    verbose_name = "Guided conversations"

    def ready(self) -> None:
        # Registers the permission rules, moderation adapter, personal-data handlers and
        # the demo seeder.
        from beacon.conversations import (  # noqa: F401, PLC0415
            demo,
            moderation,
            personal_data,
            rules,
        )
