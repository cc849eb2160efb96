from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "beacon.conversations"
    label = "conversations"
    verbose_name = "Guided conversations"
