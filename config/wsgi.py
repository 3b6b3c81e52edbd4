import os

from config.handlers import build_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = build_application()
