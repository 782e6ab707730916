"""Default bilingual message templates for building-permit events (data only)."""

from django.db import migrations

TEMPLATES = {
    "permit.submitted": (
        "استلمنا طلب الرخصة {{ reference }}",
        "We received permit application {{ reference }}",
        "استلمت البلدية طلب رخصة البناء رقم {{ reference }} مكتملاً، وتراجعه الأقسام المختصة الآن.",
        "The municipality received the complete building-permit application {{ reference }}; the departments are reviewing it.",
    ),
    "permit.resubmitted": (
        "استلمنا التعديلات على الطلب {{ reference }}",
        "We received the changes to {{ reference }}",
        "استلمت البلدية التعديلات على طلب الرخصة رقم {{ reference }} وأعادته إلى المراجعة.",
        "The municipality received the changes to permit application {{ reference }} and sent it back for review.",
    ),
    "permit.changes_requested": (
        "مطلوب تعديلات على الطلب {{ reference }}",
        "Changes requested on {{ reference }}",
        "طلبت البلدية تعديلات على طلب الرخصة رقم {{ reference }}. اطّلع على الملاحظات وأجب عنها ثم أعد التقديم.",
        "The municipality asks for changes to permit application {{ reference }}. Read the comments, answer them and resubmit.",
    ),
    "permit.rejected": (
        "رُفض الطلب {{ reference }}",
        "Application {{ reference }} was rejected",
        "رُفض طلب الرخصة رقم {{ reference }}. اطّلع على أسباب الرفض في صفحة الطلب.",
        "Permit application {{ reference }} was rejected. The reasons are on the application's page.",
    ),
    "permit.approved": (
        "اعتُمد الطلب {{ reference }}: الفاتورة جاهزة",
        "Application {{ reference }} approved: the invoice is ready",
        "اعتُمد طلب الرخصة رقم {{ reference }}. الفاتورة {{ invoice }} بمبلغ {{ total }} {{ currency }} جاهزة للدفع الإلكتروني.",
        "Permit application {{ reference }} is approved. Invoice {{ invoice }} for {{ total }} {{ currency }} is ready to pay online.",
    ),
    "permit.issued": (
        "صدرت رخصة البناء {{ permit }}",
        "Building permit {{ permit }} issued",
        "صدرت رخصة البناء رقم {{ permit }} للطلب {{ reference }}. يمكنك تنزيل الشهادة من صفحة الطلب.",
        "Building permit {{ permit }} was issued for application {{ reference }}. Download the certificate from the application's page.",
    ),
    "permit.renewed": (
        "جُدّدت الرخصة للطلب {{ reference }}",
        "Permit for {{ reference }} renewed",
        "جُدّدت رخصة البناء للطلب {{ reference }} حتى {{ valid_until }}.",
        "The building permit for application {{ reference }} was renewed until {{ valid_until }}.",
    ),
    "permit.inspection_scheduled": (
        "موعد تفتيش للطلب {{ reference }}",
        "Inspection booked for {{ reference }}",
        "حُجز موعد تفتيش للطلب {{ reference }} بتاريخ {{ day }}.",
        "An inspection for application {{ reference }} is booked on {{ day }}.",
    ),
    "permit.inspection_recorded": (
        "نتيجة التفتيش للطلب {{ reference }}",
        "Inspection result for {{ reference }}",
        "سُجّلت نتيجة التفتيش للطلب {{ reference }}. التفاصيل في صفحة الطلب.",
        "The inspection result for application {{ reference }} is recorded; details are on the application's page.",
    ),
    "permit.completed": (
        "شهادة الإنجاز {{ completion }}",
        "Completion certificate {{ completion }}",
        "صدرت شهادة الإنجاز رقم {{ completion }} للطلب {{ reference }}.",
        "Completion certificate {{ completion }} was issued for application {{ reference }}.",
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
        ("permits", "0001_catalogue_applications_reviews_permits"),
        ("notify", "0002_default_templates"),
    ]
    operations = [migrations.RunPython(add, remove)]
