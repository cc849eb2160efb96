from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "beacon.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns and pledges"

    def ready(self) -> None:
        # Registers the moderation adapters, personal-data handlers, the demo seeder and the
        # story editor's lookup of calls for stories.
        from beacon.campaigns import (  # noqa: F401, PLC0415
            demo,
            moderation,
            personal_data,
            story_prompts,
        )
