from django.apps import AppConfig


class HelpConfig(AppConfig):
    name = "beacon.help"
    label = "help"
    verbose_name = "Get help now"

    def ready(self) -> None:
        from beacon.help import demo, handlers  # noqa: F401, PLC0415 - demo seeder, receivers

        handlers.connect()
