from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "baladiyati.cases"
    label = "cases"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        from baladiyati.cases import receivers  # noqa: F401
