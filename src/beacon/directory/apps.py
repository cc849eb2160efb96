from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "beacon.directory"
    label = "directory"
    verbose_name = "Resource directory (HSDS 3.0)"

    def ready(self) -> None:
        from beacon.directory import demo, handlers, personal_data  # noqa: F401, PLC0415

        handlers.connect()  # demo and personal_data register on import
