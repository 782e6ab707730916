"""manage.py import_open311: another Open311 server's requests, from files or over HTTP."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import LiveServerTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from baladiyati.cases import bulk
from baladiyati.cases.models import Case, CaseUpdate, Channel, CloseReason, Status
from baladiyati.cities.models import Department, Municipality, Service, ServiceGroup
from baladiyati.core.models import AuditEvent
from baladiyati.open311 import importer
from baladiyati.testing import (
    MUSCAT_POINT,
    MUTTRAH_POINT,
    OUTSIDE_POINT,
    BaseTestCase,
    box,
    build_world,
)


def request(rid: str, **fields: Any) -> dict[str, Any]:
    """A GeoReport v2 request as another server publishes it."""
    body: dict[str, Any] = {
        "service_request_id": rid,
        "status": "open",
        "service_code": "PH-01",
        "description": f"Pothole {rid}",
        "requested_datetime": "2026-10-01T09:00:00+04:00",
        "updated_datetime": "2026-10-02T10:00:00+04:00",
        "address": "Ruwi High Street",
        "lat": MUTTRAH_POINT[0],
        "long": MUTTRAH_POINT[1],
    }
    body.update(fields)
    return body


class ImportTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.mapping = self.tmp / "services.csv"
        self.mapping.write_text("their_code,our_code\nPH-01,pothole\nSL-02,streetlight\n")

    def write(self, name: str, text: str) -> Path:
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        return path

    def json_lines(self, requests: list[Any]) -> str:
        """An array with one request per line, as export_cases writes it."""
        return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in requests) + "\n]\n"

    def run_import(self, path: Path | str, *extra: str, source: str = "old-311") -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        with translation.override("en"):
            self.call(
                str(path),
                "--municipality",
                "muscat",
                "--source-name",
                source,
                "--services",
                str(self.mapping),
                *extra,
                stdout=out,
                stderr=err,
            )
        return out.getvalue(), err.getvalue()

    def call(self, *args: Any, **kwargs: Any) -> None:
        call_command("import_open311", *args, **kwargs)

    def imported(self, source: str = "old-311") -> Any:
        return Case.objects.filter(external_source=source).order_by("external_id")


class ImportFileTests(ImportTestCase):
    def test_it_imports_requests_keeping_their_ids_with_mapped_services(self) -> None:
        path = self.write(
            "requests.json",
            self.json_lines(
                [
                    request("A-1"),
                    request("A-2", service_code="SL-02", lat=MUSCAT_POINT[0], long=MUSCAT_POINT[1]),
                    request("A-3", service_code="pothole"),  # one of our codes: no mapping needed
                ]
            ),
        )

        out, _err = self.run_import(path)

        cases = list(self.imported())
        self.assertEqual([c.external_id for c in cases], ["A-1", "A-2", "A-3"])
        first = cases[0]
        self.assertEqual(first.service, self.pothole)
        self.assertEqual(cases[1].service, self.streetlight)
        self.assertEqual(cases[1].department, self.lighting)
        self.assertEqual(first.channel, Channel.OPEN311)
        self.assertEqual(first.status, Status.SUBMITTED)
        self.assertEqual(first.description, "Pothole A-1")
        self.assertEqual(first.created_at.isoformat(), "2026-10-01T05:00:00+00:00")
        self.assertEqual(first.district, self.muttrah)
        self.assertTrue(first.reference.startswith("MCT-2026-"))
        self.assertIn("imported 3", out)
        self.assertEqual(
            CaseUpdate.objects.filter(case__in=cases, kind=CaseUpdate.Kind.SUBMITTED).count(), 3
        )

    def test_malformed_requests_are_reported_by_line_and_skipped_the_rest_imported(self) -> None:
        good = [request("B-1"), request("B-5"), request("B-8")]
        lines = [
            "[",
            json.dumps(good[0]) + ",",
            json.dumps(request("B-2", lat="north")) + ",",
            json.dumps(request("B-3", service_code="XX-99")) + ",",
            '{"service_request_id": "B-4", "lat": ,},',
            json.dumps(good[1]) + ",",
            json.dumps(request("B-6", requested_datetime="yesterday")) + ",",
            json.dumps(request("B-7", lat=OUTSIDE_POINT[0], long=OUTSIDE_POINT[1])) + ",",
            json.dumps(good[2]) + ",",
            json.dumps({"status": "open"}),
            "]",
        ]
        path = self.write("requests.json", "\n".join(lines) + "\n")

        out, err = self.run_import(path)

        self.assertEqual([c.external_id for c in self.imported()], ["B-1", "B-5", "B-8"])
        self.assertIn("line 3: lat is not a number", err)
        self.assertIn("line 4: service_code “XX-99” is neither ours nor in the mapping", err)
        self.assertIn("line 5: not valid JSON", err)
        self.assertIn("line 7: requested_datetime is not a date and time", err)
        self.assertIn("line 8: the location is outside", err)
        self.assertIn("line 10: service_request_id is missing", err)
        self.assertIn("imported 3", out)
        self.assertIn("6 malformed and skipped", out)

    def test_a_pretty_printed_file_is_read_and_lines_still_name_the_requests(self) -> None:
        text = json.dumps([request("C-1"), request("C-2", lat=None), request("C-3")], indent=2)
        path = self.write("requests.json", text)

        _out, err = self.run_import(path)

        self.assertEqual([c.external_id for c in self.imported()], ["C-1", "C-3"])
        line = text.splitlines().index('    "service_request_id": "C-2",')  # 0-based
        self.assertIn(f"line {line}: lat is missing", err)  # the "{" one line above, 1-based

    def test_a_compact_one_line_array_is_read_request_by_request(self) -> None:
        # As many servers export: the whole array on one line. Each request is decoded on
        # its own: the fast line decoder (orjson) is never handed the rest of the file,
        # which made reading quadratic; problems are named by the request's number.
        requests = [request(f"K-{n}") for n in range(1, 301)]
        requests[41] = request("K-42", lat="north")
        text = json.dumps(requests, ensure_ascii=False, separators=(",", ":"))
        path = self.write("compact.json", text)
        sizes: list[int] = []
        real_loads = importer.orjson.loads

        def loads(data: Any) -> Any:
            sizes.append(len(data))
            return real_loads(data)

        with mock.patch.object(importer.orjson, "loads", loads):
            out, err = self.run_import(path)

        self.assertEqual(self.imported().count(), 299)
        self.assertIn("line 1, request 42: lat is not a number", err)
        self.assertIn("imported 299", out)
        self.assertLessEqual(len(sizes), 1)  # at most the first request tries its line

    def test_running_it_again_imports_nothing_and_resumes_an_interrupted_import(self) -> None:
        requests = [request(f"D-{n}") for n in range(1, 8)]
        partial = self.write("part.json", self.json_lines(requests[:3]))
        full = self.write("all.json", self.json_lines(requests))

        self.run_import(partial)
        out, _err = self.run_import(full)
        self.assertIn("imported 4", out)
        self.assertIn("3 imported before", out)
        out, _err = self.run_import(full)

        self.assertIn("imported 0", out)
        self.assertIn("7 imported before", out)
        self.assertEqual(self.imported().count(), 7)
        self.assertEqual(
            sorted(e.extra["count"] for e in AuditEvent.objects.filter(action="case.imported")),
            [3, 4],
        )

    def test_a_resumed_import_knows_what_came_in_before_by_its_id_alone(self) -> None:
        # Requests imported before are not read again: a mapping that no longer names
        # their service does not make problems of them.
        first = [request("M-1"), request("M-2")]
        self.run_import(self.write("first.json", self.json_lines(first)))
        self.mapping.write_text("their_code,our_code\nSL-02,streetlight\n")
        again = [*first, request("M-3", service_code="pothole"), request("M-1")]

        out, _err = self.run_import(self.write("again.json", self.json_lines(again)))

        self.assertIn("imported 1", out)
        self.assertIn("2 imported before", out)
        self.assertIn("0 malformed", out)
        self.assertIn("1 repeated in the source", out)
        self.assertEqual([c.external_id for c in self.imported()], ["M-1", "M-2", "M-3"])

    def test_another_source_may_use_the_same_ids(self) -> None:
        path = self.write("requests.json", self.json_lines([request("E-1")]))

        self.run_import(path, source="first-server")
        self.run_import(path, source="second-server")

        self.assertEqual(Case.objects.filter(external_id="E-1").count(), 2)

    def test_an_interrupted_import_keeps_and_records_the_batches_written(self) -> None:
        path = self.write("requests.json", self.json_lines([request(f"F-{n}") for n in range(6)]))
        converter = importer.Converter(self.muscat, "old-311", {"PH-01": "pothole"})
        write = bulk._Writer.write
        calls = []

        def interrupted(writer: Any, *args: Any) -> None:
            calls.append(1)
            if len(calls) == 2:
                raise KeyboardInterrupt  # Ctrl-C during the second batch
            write(writer, *args)

        with (
            open(path) as stream,
            mock.patch.object(bulk._Writer, "write", interrupted),
            self.assertRaises(KeyboardInterrupt),
        ):
            importer.run_import(importer.read_json(stream), converter, batch_size=2)

        event = AuditEvent.objects.get(action="case.imported")
        self.assertEqual(event.extra["count"], 2)
        self.assertIs(event.extra["complete"], False)
        self.assertEqual(self.imported().count(), 2)
        self.assertEqual(bulk.restore_indexes(), [])  # built again on the way out
        out, _err = self.run_import(path)
        self.assertIn("imported 4", out)

    def test_the_reading_process_sends_plain_values_only(self) -> None:
        requests = [
            request("K-1", status="closed"),
            request("K-2", extended_attributes={"detailed_status": "in_progress"}),
            request(
                "K-3",
                status="closed",
                extended_attributes={"detailed_status": "duplicate", "duplicate_of": "K-1"},
            ),
            request("K-4", lat="north"),
        ]
        path = self.write("requests.json", self.json_lines(requests))
        plan = importer.Plan(self.muscat.pk, "old-311", {"PH-01": "pothole"}, "could_not_locate")
        sent: list[bytes] = []
        pipe = mock.Mock(send_bytes=sent.append)

        with translation.override("en"):
            importer.produce(importer.Source(str(path)), plan, pipe)  # marshal: plain only

        self.assertEqual(sent[-1], b"")
        chunks = [importer._from_wire(data) for data in sent[:-1]]
        with translation.override("en"):
            expected = list(importer._chunks(importer.Source(str(path)).items(), plan))
        self.assertEqual(len(chunks), len(expected))
        for got, want in zip(chunks, expected, strict=True):
            for row in want.rows:
                row[24] = None  # the tracking token: random
            for row in got.rows:
                row[24] = None
            self.assertEqual(got, want)
        self.assertEqual(
            [r[6] for r in chunks[0].rows], ["closed_not_fixed", "in_progress", "duplicate"]
        )
        self.assertEqual(chunks[0].problems, [("line 5", "lat is not a number")])

    def test_into_an_empty_case_table_the_indexes_are_built_after_the_load(self) -> None:
        before = bulk._existing_indexes()
        path = self.write("requests.json", self.json_lines([request(f"I-{n}") for n in range(5)]))

        declared = {name for name, _sql in bulk._index_statements()}
        self.assertLess(importer.KEPT_UP_INDEXES, declared)  # kept up: named as declared
        drop_indexes, dropped = bulk._drop_indexes, []

        def spy(*args: Any) -> list[str]:
            dropped.append(drop_indexes(*args))
            return dropped[-1]

        with mock.patch.object(bulk, "_drop_indexes", side_effect=spy) as drop:
            out, _err = self.run_import(path, "--batch-size", "2")
            drop.assert_called_once()
            self.assertEqual(set(dropped[0]), declared - importer.KEPT_UP_INDEXES)
            self.assertIn("imported 5", out)
            self.assertEqual(bulk._existing_indexes(), before)

            # Into a table that holds cases now: the indexes stay.
            more = self.write("more.json", self.json_lines([request(f"J-{n}") for n in range(5)]))
            out, _err = self.run_import(more, "--batch-size", "2")
            drop.assert_called_once()
        self.assertIn("imported 5", out)
        self.assertEqual(bulk._existing_indexes(), before)
        self.assertEqual(self.imported().count(), 10)

    def test_requests_imported_before_are_sought_by_their_ids_not_through_every_case(self) -> None:
        # Two lookups by external id: the writer's, of originals written in an earlier batch,
        # and, on a second run, the reader's, of what came in before. With the model's
        # ordering (newest first) SQLite read them through case_created, every case of the
        # city for each batch: an import slowing down batch by batch.
        originals = [request("L-1", status="closed"), request("L-2", status="closed")]
        duplicates = [
            request(
                f"L-{n}",
                status="closed",
                extended_attributes={"detailed_status": "duplicate", "duplicate_of": f"L-{n - 2}"},
            )
            for n in (3, 4)
        ]
        path = self.write("requests.json", self.json_lines(originals + duplicates))
        converter = importer.Converter(self.muscat, "old-311", {"PH-01": "pothole"})

        for run in ("first", "again"):
            with (
                open(path) as stream,
                CaptureQueriesContext(connection) as captured,
            ):
                importer.run_import(importer.read_json(stream), converter, batch_size=2)
            lookups = [
                q["sql"]
                for q in captured
                if '"external_id" IN' in q["sql"] and q["sql"].startswith("SELECT")
            ]
            self.assertTrue(lookups, run)
            if connection.vendor != "sqlite":
                continue  # PostgreSQL plans from its statistics, and seeks unordered ids
            for sql in lookups:
                with self.subTest(run=run, sql=sql):
                    plan = self.plan(sql)
                    self.assertIn("case_external_once", plan)
                    self.assertNotIn("case_created", plan)

        cases = {c.external_id: c for c in self.imported()}
        self.assertEqual(len(cases), 4)
        self.assertEqual(cases["L-3"].duplicate_of, cases["L-1"])
        self.assertEqual(cases["L-4"].duplicate_of, cases["L-2"])

    def plan(self, sql: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())

    def test_statuses_closing_reasons_and_duplicates_are_kept_or_said_plainly(self) -> None:
        requests = [
            request("G-1", status="closed"),
            request(
                "G-2",
                status="closed",
                extended_attributes={
                    "detailed_status": "closed_not_fixed",
                    "close_reason": "could_not_locate",
                },
            ),
            request(
                "G-3",
                status="closed",
                extended_attributes={"detailed_status": "duplicate", "duplicate_of": "G-1"},
            ),
            request(
                "G-4",
                status="closed",
                extended_attributes={"detailed_status": "duplicate", "duplicate_of": "NOPE"},
            ),
            request(
                "G-5",
                extended_attributes={
                    "detailed_status": "in_progress",
                    "attributes": [{"code": "size", "values": ["large"]}],
                },
            ),
        ]
        path = self.write("requests.json", self.json_lines(requests))

        out, _err = self.run_import(path, "--closed-as", "no_action_needed")

        cases = {c.external_id: c for c in self.imported()}
        self.assertEqual(cases["G-1"].status, Status.CLOSED_NOT_FIXED)
        self.assertEqual(cases["G-1"].close_reason, CloseReason.NO_ACTION_NEEDED)
        self.assertEqual(cases["G-1"].closed_at.isoformat(), "2026-10-02T06:00:00+00:00")
        self.assertEqual(cases["G-2"].close_reason, CloseReason.COULD_NOT_LOCATE)
        self.assertEqual(cases["G-3"].status, Status.DUPLICATE)
        self.assertEqual(cases["G-3"].duplicate_of, cases["G-1"])
        self.assertEqual(cases["G-4"].status, Status.CLOSED_NOT_FIXED)
        self.assertEqual(cases["G-5"].status, Status.IN_PROGRESS)
        self.assertEqual(cases["G-5"].answers, {"size": "large"})
        self.assertIn("1 requests said only “closed”", out)
        self.assertIn("1 duplicates name an original that was not imported", out)

    def test_it_reads_georeport_xml_and_names_bad_requests_by_line(self) -> None:
        xml = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>X-1</service_request_id><status>open</status>
    <service_code>PH-01</service_code><description>حفرة</description>
    <requested_datetime>2026-10-01T09:00:00+04:00</requested_datetime>
    <lat>23.6</lat><long>58.5</long>
  </request>
  <request>
    <service_request_id>X-2</service_request_id><status>maybe</status>
    <service_code>PH-01</service_code>
    <requested_datetime>2026-10-01T09:00:00+04:00</requested_datetime>
    <lat>23.6</lat><long>58.5</long>
  </request>
  <request>
    <service_request_id>X-3</service_request_id><status>closed</status>
    <service_code>PH-01</service_code>
    <requested_datetime>2026-10-01T09:00:00+04:00</requested_datetime>
    <lat>23.6</lat><long>58.5</long>
    <extended_attributes><detailed_status>fixed</detailed_status>
      <attributes><attribute><code>size</code><values><value>large</value></values></attribute>
      </attributes></extended_attributes>
  </request>
</service_requests>
"""
        path = self.write("requests.xml", xml)

        out, err = self.run_import(path)

        cases = {c.external_id: c for c in self.imported()}
        self.assertEqual(sorted(cases), ["X-1", "X-3"])
        self.assertEqual(cases["X-1"].description, "حفرة")
        self.assertEqual(cases["X-3"].status, Status.FIXED)
        self.assertEqual(cases["X-3"].answers, {"size": "large"})
        self.assertIn("line 9: status must be open or closed", err)
        self.assertIn("imported 2", out)

    def test_a_broken_xml_file_keeps_what_came_before_the_break(self) -> None:
        xml = (
            "<service_requests>\n<request><service_request_id>Y-1</service_request_id>"
            "<status>open</status><service_code>PH-01</service_code>"
            "<requested_datetime>2026-10-01T09:00:00+04:00</requested_datetime>"
            "<lat>23.6</lat><long>58.5</long></request>\n<request><oops></request>\n"
        )
        path = self.write("requests.xml", xml)

        _out, err = self.run_import(path)

        self.assertEqual([c.external_id for c in self.imported()], ["Y-1"])
        self.assertIn("line 3: not valid XML", err)

    def test_the_mapping_may_be_json_and_must_name_our_services(self) -> None:
        self.mapping = self.write("services.json", json.dumps({"PH-01": "pothole"}))
        path = self.write("requests.json", self.json_lines([request("H-1")]))
        self.run_import(path)
        self.assertEqual(self.imported().get().service, self.pothole)

        self.mapping = self.write("bad.csv", "PH-01,pothole\nSL-02,no-such-service\n")
        with self.assertRaisesMessage(CommandError, "line 2: we have no service “no-such-service”"):
            self.run_import(path)

    def test_the_municipality_and_file_must_exist(self) -> None:
        with self.assertRaisesMessage(CommandError, "No file"):
            self.run_import(self.tmp / "missing.json")
        with translation.override("en"), self.assertRaisesMessage(CommandError, "No municipality"):
            self.call("x.json", "--municipality", "atlantis", "--source-name", "x")


class ReadServerTests(ImportTestCase):
    """Paging as servers do it: a Link header, or page/page_size and a short last page."""

    def test_it_follows_pages_without_a_link_header_until_a_short_page(self) -> None:
        pages = {
            1: [request("P-1"), request("P-2")],
            2: [request("P-3"), request("P-4")],
            3: [request("P-5")],
        }
        asked: list[str] = []

        def fetch(url: str) -> tuple[Any, str]:
            asked.append(url)
            page = int(url.split("page=")[-1]) if "&page=" in url else 1
            return pages[page], ""

        items = list(importer.read_server("http://old.example/v2/", page_size=2, fetch=fetch))

        self.assertEqual(
            [i.data["service_request_id"] for i in items], [f"P-{n}" for n in range(1, 6)]
        )
        self.assertEqual(len(asked), 3)
        with translation.override("en"):
            self.assertEqual(items[2].where, "page 2, request 1")

    def test_it_stops_when_a_server_ignores_paging(self) -> None:
        def fetch(url: str) -> tuple[Any, str]:
            return [request("Q-1"), request("Q-2")], ""

        items = list(importer.read_server("http://old.example/v2/", page_size=2, fetch=fetch))

        self.assertEqual(len(items), 2)

    def test_it_walks_long_periods_ninety_days_at_a_time(self) -> None:
        import datetime as dt

        asked: list[str] = []

        def fetch(url: str) -> tuple[Any, str]:
            asked.append(url)
            return [], ""

        start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        list(
            importer.read_server(
                "http://old.example/v2",
                since=start,
                until=start + dt.timedelta(days=200),
                fetch=fetch,
            )
        )

        self.assertEqual(len(asked), 3)
        self.assertTrue(all("start_date=" in url and "end_date=" in url for url in asked))


class ImportFromLiveServerTests(LiveServerTestCase):
    """Our own Open311 as the other server: every page read through HTTP, once."""

    # Every test that flushes the database restores what migrations wrote (content types,
    # message templates) rather than re-creating it: re-created rows get other ids, and a
    # later serialized_rollback test could not restore its own (see conftest.py).
    serialized_rollback = True

    def setUp(self) -> None:
        build_world(self)
        from baladiyati.cases.actions import do_submit_case

        # The city moving in: the ground of Muscat's test boundary, a catalogue of its own.
        self.newcity = Municipality.objects.create(
            slug="newcity",
            code="NEW",
            name_ar="مدينة",
            name_en="New city",
            boundary=box(58.4, 23.5, 58.7, 23.7),
        )
        department = Department.objects.create(
            municipality=self.newcity, code="roads", name_ar="الطرق", name_en="Roads"
        )
        group = ServiceGroup.objects.create(
            municipality=self.newcity, code="streets", name_ar="الشوارع", name_en="Streets"
        )
        Service.objects.create(
            municipality=self.newcity,
            code="road-hole",
            group=group,
            department=department,
            name_ar="حفرة",
            name_en="Pothole",
        )
        self.mapping = Path(tempfile.mkdtemp()) / "services.json"
        self.mapping.write_text(json.dumps({"pothole": "road-hole"}))

        self.originals = [
            do_submit_case(
                municipality=self.muscat,  # type: ignore[attr-defined]
                service_code="pothole",
                lat=MUTTRAH_POINT[0],
                lon=MUTTRAH_POINT[1],
                channel=Channel.APP,
                actor=None,
                description=f"حفرة {n}",
                answers={"size": "large"},
            )
            for n in range(5)
        ]

    def test_it_imports_every_page_through_the_link_header_once(self) -> None:
        out = io.StringIO()
        arguments = [
            f"{self.live_server_url}/open311/v2/",
            "--municipality",
            "newcity",
            "--services",
            str(self.mapping),
            "--jurisdiction-id",
            "muscat",
            "--source-name",
            "live",
            "--page-size",
            "2",
        ]
        with mock.patch("sys.stderr", io.StringIO()), translation.override("en"):
            call_command("import_open311", *arguments, stdout=out)
            first = out.getvalue()
            call_command("import_open311", *arguments, stdout=out)

        self.assertIn("imported 5", first)
        self.assertIn("imported 0", out.getvalue()[len(first) :])
        copies = Case.objects.filter(municipality=self.newcity, external_source="live")
        self.assertEqual(
            sorted(copies.values_list("external_id", flat=True)),
            sorted(c.reference for c in self.originals),
        )
        for copy in copies:
            self.assertEqual(copy.answers, {"size": "large"})
            self.assertEqual(copy.service.code, "road-hole")
            self.assertTrue(copy.reference.startswith("NEW-"))
