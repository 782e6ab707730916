from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "baladiyati.cities"
    label = "cities"
    verbose_name = _("Municipalities and services")

    def ready(self) -> None:
        from baladiyati.cities import signals  # noqa: F401
