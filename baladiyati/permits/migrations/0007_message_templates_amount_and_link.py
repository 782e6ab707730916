"""Default permit message templates (data only): the invoice amount written in the
message's language ({{ amount }}: "105.000 ريال عماني" / "105.000 Omani rials") instead of
"105.000 OMR", and staff messages carrying the application's back-office address ({{ url }}).

Only the shared defaults (no municipality) are touched, and only where they still hold the
old text, so a city's own wording stays as the city wrote it.
"""

from django.db import migrations

OLD_AMOUNT = "{{ total }} {{ currency }}"
NEW_AMOUNT = "{{ amount }}"
STAFF_LINK = {
    "permit.review_requested": (
        " افتح قائمة رخص البناء في المكتب الخلفي.",
        " افتح الطلب في المكتب الخلفي: {{ url }}",
        " Open the building permits queue in the back office.",
        " Open the application in the back office: {{ url }}",
    ),
    "permit.review_requested_again": ("", " افتح الطلب: {{ url }}", "", " Open it: {{ url }}"),
    "permit.review_overdue": ("", " افتح الطلب: {{ url }}", "", " Open it: {{ url }}"),
}


def _link(body, old, new):
    if "{{ url }}" in body:
        return body
    if old and body.endswith(old):
        return body[: -len(old)] + new
    return body + new


def forward(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    defaults = MessageTemplate.objects.filter(municipality_id=None)
    for template in defaults.filter(event="permit.approved"):
        template.body_ar = template.body_ar.replace(OLD_AMOUNT, NEW_AMOUNT)
        template.body_en = template.body_en.replace(OLD_AMOUNT, NEW_AMOUNT)
        template.save(update_fields=["body_ar", "body_en"])
    for event, (old_ar, new_ar, old_en, new_en) in STAFF_LINK.items():
        for template in defaults.filter(event=event):
            template.body_ar = _link(template.body_ar, old_ar, new_ar)
            template.body_en = _link(template.body_en, old_en, new_en)
            template.save(update_fields=["body_ar", "body_en"])


def backward(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    defaults = MessageTemplate.objects.filter(municipality_id=None)
    for template in defaults.filter(event="permit.approved"):
        template.body_ar = template.body_ar.replace(NEW_AMOUNT, OLD_AMOUNT)
        template.body_en = template.body_en.replace(NEW_AMOUNT, OLD_AMOUNT)
        template.save(update_fields=["body_ar", "body_en"])
    for event, (old_ar, new_ar, old_en, new_en) in STAFF_LINK.items():
        for template in defaults.filter(event=event):
            if template.body_ar.endswith(new_ar):
                template.body_ar = template.body_ar[: -len(new_ar)] + old_ar
            if template.body_en.endswith(new_en):
                template.body_en = template.body_en[: -len(new_en)] + old_en
            template.save(update_fields=["body_ar", "body_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0006_inspection_slot_loads"),
        ("notify", "0002_default_templates"),
    ]
    operations = [migrations.RunPython(forward, backward)]
