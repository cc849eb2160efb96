from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "beacon.directory"
    label = "directory"
    verbose_name = "Resource directory (HSDS 3.0)"

    def ready(self) -> None:
        from beacon.directory import demo, personal_data  # noqa: F401, PLC0415 - registers handlers
