from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "beacon.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from beacon.accounts import demo, personal_data  # noqa: F401, PLC0415 - registers handlers
