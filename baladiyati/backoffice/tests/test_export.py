"""The filtered inbox as streamed CSV."""

from __future__ import annotations

import csv
import io

from django.http import StreamingHttpResponse

from baladiyati.cases.actions import do_transition_case
from baladiyati.cases.models import Status

from .support import BackofficeTestCase


class ExportTest(BackofficeTestCase):
    def rows(self, response) -> list[list[str]]:
        self.assertIsInstance(response, StreamingHttpResponse)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))

    def test_streams_the_filtered_cases_with_their_times(self) -> None:
        open_case = self.submit()
        closed = self.submit()
        do_transition_case(closed, Status.FIXED, actor=self.supervisor)
        self.submit(self.streetlight)
        self.sign_in(self.clerk)
        response = self.client.get("/backoffice/inbox.csv")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertTrue(response["Content-Type"].startswith("text/csv"))
        rows = self.rows(response)
        self.assertEqual(len(rows), 2)  # header and the clerk's one open case
        self.assertEqual(rows[1][0], open_case.reference)
        rows = self.rows(self.client.get("/backoffice/inbox.csv?status=all"))
        self.assertEqual({r[0] for r in rows[1:]}, {open_case.reference, closed.reference})

    def test_other_municipalities_export_nothing_of_muscat(self) -> None:
        case = self.submit()
        self.sign_in(self.stranger)
        response = self.client.get("/backoffice/inbox.csv?status=all")
        self.assertNotIn(case.reference, "".join(r[0] for r in self.rows(response)))
