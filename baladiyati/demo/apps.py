from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data (`manage.py seed_demo`). An interface package: it uses every domain."""

    name = "baladiyati.demo"
    label = "demo"
    verbose_name = _("Demo data")
