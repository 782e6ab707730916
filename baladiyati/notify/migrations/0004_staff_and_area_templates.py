"""Default bilingual templates for the events of the back-office issue (data only).

Citizens: a question awaiting their answer, a new request in an area they follow.
Staff: the 80 % deadline warning, the escalation on breach, a citizen's answer.
"""

from django.db import migrations

TEMPLATES = {
    "case.awaiting_citizen": (
        "البلدية بانتظار ردك على البلاغ {{ reference }}",
        "The municipality needs your answer on request {{ reference }}",
        "تحتاج البلدية إلى معلومات منك بشأن بلاغك رقم {{ reference }}: {{ message }} يرجى الرد من صفحة متابعة البلاغ.",
        "The municipality needs information from you about your request {{ reference }}: {{ message }} Please answer from the request's tracking page.",
    ),
    "case.new_in_area": (
        "بلاغ جديد في منطقتك: {{ service }}",
        "A new request in your area: {{ service }}",
        "بلاغ جديد {{ reference }} ({{ service }}){% if wilayat %} في {{ wilayat }}{% endif %}{% if address %}، {{ address }}{% endif %}.",
        "New request {{ reference }} ({{ service }}){% if wilayat %} in {{ wilayat }}{% endif %}{% if address %}, {{ address }}{% endif %}.",
    ),
    "case.sla_warning": (
        "تنبيه: اقتراب موعد البلاغ {{ reference }}",
        "Warning: request {{ reference }} is nearly due",
        "استُهلك 80٪ من الوقت المحدد للبلاغ {{ reference }} ({{ service }}). الموعد النهائي: {{ due }}.",
        "80% of the time allowed for request {{ reference }} ({{ service }}) is used. Due: {{ due }}.",
    ),
    "case.escalated": (
        "تصعيد: تجاوز البلاغ {{ reference }} موعده",
        "Escalation: request {{ reference }} missed its deadline",
        "تجاوز البلاغ {{ reference }} ({{ service }}، {{ status_name }}) موعده النهائي {{ due }} وصُعّد إليك.",
        "Request {{ reference }} ({{ service }}, {{ status_name }}) missed its deadline of {{ due }} and was escalated to you.",
    ),
    "case.citizen_answered": (
        "رد المواطن على البلاغ {{ reference }}",
        "The citizen answered on request {{ reference }}",
        "رد المواطن على البلاغ {{ reference }}: {{ message }} استُؤنف احتساب الوقت. الموعد الجديد: {{ due }}.",
        "The citizen answered on request {{ reference }}: {{ message }} The clock runs again; new due time: {{ due }}.",
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
    dependencies = [("notify", "0003_opt_outs_and_topics")]
    operations = [migrations.RunPython(add, remove)]
