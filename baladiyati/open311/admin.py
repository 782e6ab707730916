from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from baladiyati.siteadmin.admin import ScopedAdmin

from .actions import do_issue_key
from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedAdmin):
    list_display = ["name", "prefix", "municipality", "user", "is_active", "created_at"]
    list_filter = ["is_active", "municipality"]
    search_fields = ["name", "prefix"]
    fields = ["name", "municipality", "user", "is_active", "prefix", "created_at"]
    readonly_fields = ["prefix", "created_at"]
    raw_id_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = do_issue_key(
            obj.name, actor=request.user, municipality=obj.municipality, user=obj.user
        )
        obj.pk = key.pk
        obj.prefix, obj.hashed = key.prefix, key.hashed
        messages.warning(
            request, _("The new key is shown only now; copy it: %(key)s") % {"key": raw}
        )
