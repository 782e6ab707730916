"""Default bilingual message templates for case events (data only; schema is 0001)."""

from django.db import migrations

TEMPLATES = {
    "case.submitted": (
        "استلمنا بلاغك {{ reference }}",
        "We received your request {{ reference }}",
        "شكراً لك. استلمت البلدية بلاغك رقم {{ reference }} وسنبلغك بكل جديد.",
        "Thank you. The municipality received your request {{ reference }}; we will keep you posted.",
    ),
    "case.acknowledged": (
        "بلاغك {{ reference }} قيد المراجعة",
        "Your request {{ reference }} is being looked at",
        "بدأ القسم المختص مراجعة بلاغك رقم {{ reference }}.{% if message %} {{ message }}{% endif %}",
        "The department has started on your request {{ reference }}.{% if message %} {{ message }}{% endif %}",
    ),
    "case.replied": (
        "رد على بلاغك {{ reference }}",
        "A reply on your request {{ reference }}",
        "رد البلدية على بلاغك رقم {{ reference }}: {{ message }}",
        "The municipality replied on your request {{ reference }}: {{ message }}",
    ),
    "case.fixed": (
        "تمت معالجة بلاغك {{ reference }}",
        "Your request {{ reference }} is fixed",
        "تمت معالجة بلاغك رقم {{ reference }}.{% if message %} {{ message }}{% endif %} نرجو تقييم الخدمة.",
        "Your request {{ reference }} has been fixed.{% if message %} {{ message }}{% endif %} Please rate the service.",
    ),
    "case.closed_not_fixed": (
        "أُغلق بلاغك {{ reference }}",
        "Your request {{ reference }} was closed",
        "أُغلق بلاغك رقم {{ reference }} دون معالجة.{% if message %} {{ message }}{% endif %}",
        "Your request {{ reference }} was closed without a fix.{% if message %} {{ message }}{% endif %}",
    ),
    "case.duplicate": (
        "بلاغك {{ reference }} مكرر",
        "Your request {{ reference }} is a duplicate",
        "بلاغك رقم {{ reference }} مكرر لبلاغ آخر تتابعه الآن.",
        "Your request {{ reference }} duplicates another one, which you now follow.",
    ),
    "case.reopened": (
        "أعيد فتح البلاغ {{ reference }}",
        "Request {{ reference }} was reopened",
        "أعيد فتح البلاغ رقم {{ reference }}.{% if message %} {{ message }}{% endif %}",
        "Request {{ reference }} was reopened.{% if message %} {{ message }}{% endif %}",
    ),
}


def add(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for event, (subject_ar, subject_en, body_ar, body_en) in TEMPLATES.items():
        for channel in ("email", "sms"):
            MessageTemplate.objects.get_or_create(
                event=event,
                channel=channel,
                municipality_id=None,
                defaults={
                    "subject_ar": subject_ar if channel == "email" else "",
                    "subject_en": subject_en if channel == "email" else "",
                    "body_ar": body_ar,
                    "body_en": body_en,
                },
            )


def remove(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(
        municipality_id=None, event__in=list(TEMPLATES)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
