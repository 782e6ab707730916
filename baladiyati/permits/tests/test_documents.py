from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import override_settings

from baladiyati.permits import actions
from baladiyati.permits.documents import sniff
from baladiyati.permits.models import Document

from .world import DWG, PDF, PermitTestCase, png_bytes

REFUSED: list[str] = []


def refusing_scanner(data: bytes, name: str) -> None:
    REFUSED.append(name)
    raise ValidationError("Infected: EICAR test signature")


class DocumentIntakeTest(PermitTestCase):
    def upload(self, code: str, data: bytes, name: str = "file.pdf"):
        application = getattr(self, "_app", None) or self.draft()
        self._app = application
        return actions.do_upload_document(
            application, document_type_code=code, upload=data, name=name, actor=self.citizen
        )

    def test_the_format_is_read_from_the_content(self) -> None:
        self.assertEqual(sniff(PDF), "pdf")
        self.assertEqual(sniff(DWG), "dwg")
        self.assertEqual(sniff(png_bytes()), "png")
        self.assertEqual(sniff(b"\xff\xd8\xff\xe0rest"), "jpeg")
        self.assertIsNone(sniff(b"MZ\x90\x00 an exe"))
        self.assertIsNone(sniff(b"ACAD not a drawing"))

    def test_it_refuses_a_file_whose_content_is_not_an_accepted_format(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.upload("site_plan", b"MZ\x90\x00 an exe renamed", name="plan.pdf")
        self.assertIn("file", caught.exception.message_dict)
        self.assertFalse(Document.objects.exists())

    def test_a_png_is_refused_where_only_pdf_is_accepted(self) -> None:
        with self.assertRaises(ValidationError):
            self.upload("site_plan", png_bytes(), name="plan.pdf")
        self.assertEqual(self.upload("title_deed", png_bytes(), "deed.png").file_format, "png")

    @override_settings(PERMIT_MAX_DOCUMENT_BYTES=1024)
    def test_it_refuses_a_file_above_the_size_limit(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.upload("site_plan", PDF + b"0" * 2048)
        self.assertIn("file", caught.exception.message_dict)
        self.assertFalse(Document.objects.exists())

    @override_settings(
        PERMIT_VIRUS_SCANNER="baladiyati.permits.tests.test_documents.refusing_scanner"
    )
    def test_a_scanner_refusing_a_file_blocks_it(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.upload("site_plan", PDF, "plan.pdf")
        self.assertIn("Infected", str(caught.exception))
        self.assertEqual(REFUSED[-1], "plan.pdf")
        self.assertFalse(Document.objects.exists())

    def test_an_accepted_file_is_stored_under_a_name_of_ours(self) -> None:
        document = self.upload("drawings", DWG, "../../etc/villa.dwg")
        self.assertEqual(document.original_name, "villa.dwg")
        self.assertTrue(document.file.name.endswith(".dwg"))
        self.assertNotIn("villa", document.file.name)
        self.assertEqual(document.file.read(), DWG)
