from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsWebConfig(AppConfig):
    name = "baladiyati.permits_web"
    verbose_name = _("Building permits (pages)")
