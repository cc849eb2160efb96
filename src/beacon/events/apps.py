from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "beacon.events"
    label = "events"
    verbose_name = "Events and support groups"
