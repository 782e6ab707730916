from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteAdminConfig(AppConfig):
    name = "baladiyati.siteadmin"
    label = "siteadmin"
    verbose_name = _("Administration")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("Baladiyati administration")
        admin.site.site_title = _("Baladiyati")
        admin.site.index_title = _("Catalogue, calendars and staff")
