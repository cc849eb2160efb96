from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "beacon.initiatives"
    label = "initiatives"
    verbose_name = "Grassroots initiatives"
