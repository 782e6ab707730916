from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "baladiyati.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from baladiyati.notify import delivery, receivers  # noqa: F401
