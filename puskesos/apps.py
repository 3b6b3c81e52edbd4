from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PuskesosConfig(AppConfig):
    name = "puskesos"
    verbose_name = _("Puskesos (SLRT)")
