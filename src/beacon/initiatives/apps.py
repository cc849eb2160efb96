from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "beacon.initiatives"
    label = "initiatives"
    verbose_name = "Grassroots initiatives"

    def ready(self) -> None:
        # Registers the personal-data handlers, the moderation adapter and the demo seeder.
        from beacon.initiatives import demo, moderation, personal_data  # noqa: F401, PLC0415
