"""Open cases filed before SLA tracking get their first check at their due time (data only).

Their warning time is unknown (the scan then warns and escalates together on breach); one
UPDATE, however many cases there are. Reversing clears the column again.
"""

from django.db import migrations
from django.db.models import F

OPEN = ["submitted", "acknowledged", "in_progress", "reopened"]


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(status__in=OPEN, sla_next_check_at__isnull=True).update(
        sla_next_check_at=F("due_at"), sla_started_at=F("created_at")
    )


def clear(apps, schema_editor):
    apps.get_model("cases", "Case").objects.update(sla_next_check_at=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_sla_subscriptions_response_templates")]
    operations = [migrations.RunPython(backfill, clear)]
