"""django.contrib.admin with Baladiyati's admin site (password + TOTP) as `admin.site`.

Listed in settings.INSTALLED_APPS instead of "django.contrib.admin". A module of its own:
Django picks an app's config from its apps.py only when that file defines a single one.
"""

from django.contrib.admin.apps import AdminConfig


class BaladiyatiAdminConfig(AdminConfig):
    default_site = "baladiyati.siteadmin.sites.BaladiyatiAdminSite"
