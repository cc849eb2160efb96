from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "beacon.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns and pledges"
