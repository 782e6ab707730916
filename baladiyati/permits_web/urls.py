from django.urls import path

from .views import apply, pay, public

app_name = "permits_web"

urlpatterns = [
    path("verify/<str:token>", public.verify, name="verify"),
    path("permits/register", public.register, name="register"),
    path("permits/open-data/<str:dataset>.<str:fmt>", public.export, name="export"),
    path("permits/", apply.my_applications, name="applications"),
    path("permits/new", apply.new_application, name="new"),
    path("permits/a/<str:reference>", apply.application_page, name="application"),
    path("permits/a/<str:reference>/save", apply.save_draft, name="save"),
    path("permits/a/<str:reference>/documents", apply.upload_document, name="upload"),
    path(
        "permits/a/<str:reference>/documents/<int:document_id>",
        apply.document_file,
        name="document",
    ),
    path(
        "permits/a/<str:reference>/documents/<int:document_id>/remove",
        apply.remove_document,
        name="remove_document",
    ),
    path("permits/a/<str:reference>/submit", apply.submit, name="submit"),
    path(
        "permits/a/<str:reference>/comments/<int:comment_id>/answer",
        apply.answer_comment,
        name="answer",
    ),
    path("permits/a/<str:reference>/pay", apply.pay, name="pay"),
    path("permits/a/<str:reference>/renew", apply.renew, name="renew"),
    path("permits/a/<str:reference>/inspections", apply.request_inspection, name="inspect"),
    path("permits/a/<str:reference>/certificate.pdf", apply.certificate_pdf, name="certificate"),
    path("permits/a/<str:reference>/completion.pdf", apply.completion_pdf, name="completion"),
    path("permits/a/<str:reference>/receipts/<str:number>", apply.receipt, name="receipt"),
    path("permits/a/<str:reference>/withdraw", apply.withdraw, name="withdraw"),
    path("permits/pay/fake", pay.fake_gateway, name="fake_gateway"),
    path("permits/pay/callback/<str:gateway>", pay.callback, name="callback"),
]
