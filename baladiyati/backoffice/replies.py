"""Response templates offered on the case page, rendered for the case in both languages
(the reply box takes the citizen's language; the other is there when the agent switches)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from baladiyati.cases import responses
from baladiyati.cases.models import Case


def response_templates(case: Case) -> list[dict[str, str]]:
    result = []
    for template in responses.templates_for(case):
        try:
            texts = {lang: responses.render_response(template, case, lang) for lang in ("ar", "en")}
        except ValidationError:
            continue  # a broken template is left out, never a broken page
        result.append(
            {
                "id": str(template.pk),
                "name": str(getattr(template, "name", "") or template.name_ar),
                "ar": texts["ar"],
                "en": texts["en"],
            }
        )
    return result
