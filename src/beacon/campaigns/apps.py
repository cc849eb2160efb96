from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "beacon.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns and pledges"

    def ready(self) -> None:
        # Registers the moderation adapters, personal-data handlers and the demo seeder.
        from beacon.campaigns import demo, moderation, personal_data  # noqa: F401, PLC0415
