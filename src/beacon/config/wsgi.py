import os

from django.core.wsgi import get_wsgi_application

from beacon.config.startup import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.config.settings")
application = get_wsgi_application()
warm_up()
