from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "beacon.places"
    label = "places"
    verbose_name = "Places (offline gazetteer)"
