"""The inbox: scope, filters, Arabic search, order, bounded counts, pages, query counts."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baladiyati.accounts.models import User
from baladiyati.backoffice import inbox
from baladiyati.cases.actions import do_assign_case, do_set_case_priority, do_transition_case
from baladiyati.cases.bulk import generate_cases
from baladiyati.cases.models import Case, Status
from baladiyati.core import clock
from baladiyati.testing import MUSCAT_POINT

from .support import BackofficeTestCase


def refs(response) -> list[str]:
    return [c.reference for c in response.context["cases"]]


class InboxTest(BackofficeTestCase):
    def setUp(self) -> None:
        self.pothole_case = self.submit(description="حفرة عميقة أمام المدرسة")
        self.light_case = self.submit(self.streetlight, description="عمود الإنارة مطفأ")
        self.east = self.submit(
            description="رمال على الطريق", lat=MUSCAT_POINT[0], lon=MUSCAT_POINT[1]
        )

    def get(self, query: str = ""):
        return self.client.get(f"/backoffice/?{query}")

    def test_a_clerk_sees_their_department_only(self) -> None:
        self.sign_in(self.clerk)
        self.assertEqual(set(refs(self.get())), {self.pothole_case.reference, self.east.reference})

    def test_a_supervisor_sees_every_department_and_filters_by_one(self) -> None:
        self.sign_in(self.supervisor)
        self.assertEqual(len(refs(self.get())), 3)
        self.assertEqual(
            refs(self.get(f"department={self.lighting.pk}")), [self.light_case.reference]
        )

    def test_a_clerk_cannot_widen_the_scope_with_the_department_filter(self) -> None:
        self.sign_in(self.clerk)
        self.assertNotIn(
            self.light_case.reference, refs(self.get(f"department={self.lighting.pk}"))
        )

    def test_staff_of_another_municipality_see_none_of_it(self) -> None:
        self.sign_in(self.stranger)
        response = self.get("status=all")
        self.assertEqual(refs(response), [])
        self.assertNotContains(response, self.pothole_case.reference)

    def test_filters_by_status_service_wilayat_and_priority(self) -> None:
        self.sign_in(self.supervisor)
        do_transition_case(self.east, Status.FIXED, actor=self.supervisor)
        do_set_case_priority(self.pothole_case, 4, actor=self.supervisor)
        self.assertNotIn(self.east.reference, refs(self.get()))
        self.assertEqual(refs(self.get("status=fixed")), [self.east.reference])
        self.assertEqual(refs(self.get("status=closed")), [self.east.reference])
        self.assertEqual(len(refs(self.get("status=all"))), 3)
        self.assertEqual(
            refs(self.get(f"service={self.streetlight.pk}")), [self.light_case.reference]
        )
        self.assertEqual(
            refs(self.get(f"status=all&wilayat={self.muscat_wilayat.pk}")), [self.east.reference]
        )
        self.assertEqual(refs(self.get("priority=4")), [self.pothole_case.reference])

    def test_quick_filters_overdue_mine_unassigned_with_counts(self) -> None:
        self.sign_in(self.clerk)
        do_assign_case(self.east, actor=self.clerk, assignee=self.clerk)
        response = self.get()
        counts = {q["name"]: q["count"] for q in response.context["quick"]}
        self.assertEqual(counts, {"overdue": 0, "mine": 1, "unassigned": 1})
        self.assertEqual(refs(self.get("mine=1")), [self.east.reference])
        self.assertEqual(refs(self.get("unassigned=1")), [self.pothole_case.reference])
        with clock.frozen_at(clock.now() + dt.timedelta(days=30)):
            response = self.get("overdue=1")
        self.assertEqual(len(refs(response)), 2)
        self.assertContains(response, "late-flag")

    def test_search_folds_arabic_spellings_and_prefixes(self) -> None:
        self.sign_in(self.supervisor)
        # "المدرسه" (haa for taa marbuta, with the article) finds "المدرسة".
        self.assertEqual(refs(self.get("q=المدرسه")), [self.pothole_case.reference])
        self.assertEqual(refs(self.get("q=انارة")), [self.light_case.reference])  # service name
        # The start of a word finds it ("حفر" → "حفرة", in the service's name).
        self.assertEqual(
            set(refs(self.get("q=حفر"))), {self.pothole_case.reference, self.east.reference}
        )
        self.assertEqual(refs(self.get("q=xyzzy")), [])

    def test_search_by_reference_in_any_digits(self) -> None:
        self.sign_in(self.supervisor)
        ref = self.light_case.reference
        self.assertEqual(refs(self.get(f"q={ref.lower()}")), [ref])
        arabic = ref[:4] + "".join("٠١٢٣٤٥٦٧٨٩"[int(c)] if c.isdigit() else c for c in ref[4:])
        self.assertEqual(refs(self.get(f"q={arabic}")), [ref])

    def test_sorted_by_due_time_by_default_and_newest_on_request(self) -> None:
        self.sign_in(self.supervisor)
        due = [c.due_at for c in self.get().context["cases"]]
        self.assertEqual(due, sorted(due))
        created = [c.created_at for c in self.get("sort=-created").context["cases"]]
        self.assertEqual(created, sorted(created, reverse=True))

    def test_bad_filter_values_fall_back_to_defaults(self) -> None:
        self.sign_in(self.supervisor)
        response = self.get("status=nonsense&priority=9&service=abc&sort=drop&page=-4&wilayat=%00")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(refs(response)), 3)

    def test_the_page_is_in_arabic_and_right_to_left(self) -> None:
        self.sign_in(self.clerk)
        response = self.get()
        self.assertContains(response, 'dir="rtl"')
        self.assertContains(response, "الوارد")

    def test_and_in_english(self) -> None:
        self.client.cookies["baladiyati_language"] = "en"
        self.sign_in(self.clerk)
        response = self.get()
        self.assertContains(response, 'dir="ltr"')
        self.assertContains(response, "Inbox")


class InboxVolumeTest(BackofficeTestCase):
    """Many cases: pages, bounded counts, and a constant number of queries."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        generate_cases(cls.muscat, 600, seed=5)

    @mock.patch.object(inbox, "COUNT_CAP", 60)
    def test_counts_are_bounded_and_pages_follow(self) -> None:
        self.sign_in(self.supervisor)
        total_open = Case.objects.of(self.muscat).open().count()
        self.assertGreater(total_open, inbox.COUNT_CAP)
        response = self.client.get("/backoffice/")
        self.assertTrue(response.context["capped"])
        self.assertEqual(response.context["total"], inbox.COUNT_CAP)
        self.assertEqual(len(response.context["cases"]), inbox.PAGE_SIZE)
        self.assertTrue(response.context["has_next"])
        page2 = self.client.get("/backoffice/?page=2")
        first = {c.pk for c in response.context["cases"]}
        self.assertFalse(first & {c.pk for c in page2.context["cases"]})

    def test_the_number_of_queries_does_not_grow_with_the_cases(self) -> None:
        # session, user, TOTP device, membership, page, 4 bounded counts, services,
        # wilayats, (departments: not for a clerk), assignable staff
        expected = {"hilal": 13, "khalid": 12}
        for user in (self.supervisor, self.clerk):
            with self.subTest(user=user.username):
                self.sign_in(user)
                self.client.get("/backoffice/")  # warm caches (session, language)
                with CaptureQueriesContext(connection) as small:
                    self.client.get("/backoffice/?status=all&q=حفرة&mine=1")
                with CaptureQueriesContext(connection) as full:
                    self.client.get("/backoffice/?page=3&sort=-created")
                self.assertEqual(
                    len(full), expected[user.username], [q["sql"] for q in full.captured_queries]
                )
                self.assertEqual(len(small), len(full))

    @mock.patch.object(inbox, "COUNT_CAP", 60)
    def test_no_count_reads_more_than_the_cap(self) -> None:
        self.sign_in(self.supervisor)
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/backoffice/")
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        self.assertEqual(len(counts), 4)  # the list and the three quick filters
        self.assertIn(f"LIMIT {inbox.COUNT_CAP + 1}", counts[0])
        for sql in counts[1:]:
            self.assertIn(f"LIMIT {inbox.QUICK_CAP + 1}", sql)


class InboxBidiTest(BackofficeTestCase):
    def test_names_take_their_own_direction_on_an_english_page(self) -> None:
        case = self.submit()
        User.objects.filter(pk=self.clerk.pk).update(first_name="خالد")
        self.clerk.refresh_from_db()
        do_assign_case(case, actor=self.supervisor, assignee=self.clerk)
        self.client.cookies["baladiyati_language"] = "en"
        self.sign_in(self.supervisor)
        response = self.client.get("/backoffice/")
        self.assertContains(response, '<td dir="auto">خالد</td>')
        self.assertContains(response, "<bdi>hilal</bdi> ·")
