"""Default bilingual message templates telling permit staff what waits for them (data only):
a new application, a resubmission, a review past its due time."""

from django.db import migrations

TEMPLATES = {
    "permit.review_requested": (
        "طلب رخصة للمراجعة: {{ reference }}",
        "Permit application to review: {{ reference }}",
        "وصل طلب رخصة البناء {{ reference }} ({{ type_ar }}) مكتملاً وينتظر قرار قسمكم"
        " ({{ departments_ar }}). موعد القرار: {{ due }}. افتح قائمة رخص البناء في المكتب الخلفي.",
        "Building-permit application {{ reference }} ({{ type_en }}) arrived complete and waits"
        " for your department's decision ({{ departments_en }}). Due: {{ due }}. Open the"
        " building permits queue in the back office.",
    ),
    "permit.review_requested_again": (
        "أُعيد تقديم الطلب {{ reference }} للمراجعة",
        "Application {{ reference }} resubmitted for review",
        "أجاب مقدم طلب الرخصة {{ reference }} ({{ type_ar }}) عن الملاحظات وأعاد تقديمه"
        " (الجولة {{ round }}). موعد القرار: {{ due }}.",
        "The applicant answered the comments on permit application {{ reference }}"
        " ({{ type_en }}) and resubmitted it (round {{ round }}). Due: {{ due }}.",
    ),
    "permit.review_overdue": (
        "تأخرت مراجعة الطلب {{ reference }}",
        "Review of {{ reference }} is overdue",
        "تجاوزت مراجعة طلب الرخصة {{ reference }} ({{ type_ar }}) موعدها {{ due }}."
        " الأقسام التي لم تقرر بعد: {{ departments_ar }}.",
        "The review of permit application {{ reference }} ({{ type_en }}) passed its due time"
        " {{ due }}. Departments still to decide: {{ departments_en }}.",
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
    dependencies = [
        ("permits", "0003_review_round_overdue_notice"),
        ("notify", "0002_default_templates"),
    ]
    operations = [migrations.RunPython(add, remove)]
