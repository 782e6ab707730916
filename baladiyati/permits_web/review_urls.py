"""Back-office permit pages, included at /backoffice/permits/."""

from django.urls import path

from .views import review

app_name = "permits_review"

urlpatterns = [
    path("", review.queue, name="queue"),
    path("<str:reference>", review.application_page, name="application"),
    path("<str:reference>/documents/<int:document_id>", review.document, name="document"),
    path("<str:reference>/reviews/<int:review_id>", review.decide, name="decide"),
    path("<str:reference>/inspections", review.schedule, name="schedule"),
    path("<str:reference>/inspections/<int:inspection_id>", review.record, name="record"),
    path(
        "<str:reference>/inspections/<int:inspection_id>/photos/<int:photo_id>.jpg",
        review.inspection_photo,
        name="inspection_photo",
    ),
    path("<str:reference>/complete", review.complete, name="complete"),
]
