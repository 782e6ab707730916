"""do_rate_case: the reporter's three-face rating of each closure."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from baladiyati.cases.actions import do_rate_case, do_reopen_case, do_transition_case
from baladiyati.cases.models import CaseRating, CloseReason, Rating, Status
from baladiyati.cases.tests.support import NotificationSpy, audit_rows
from baladiyati.testing import BaseTestCase


class RateCaseTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.submit()
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)

    def rate(self, score: Any = Rating.HAPPY, actor: Any = None, **kwargs: Any) -> CaseRating:
        return do_rate_case(self.case, score, actor=actor or self.citizen, **kwargs)

    def test_the_reporter_rates_a_fixed_case(self) -> None:
        with NotificationSpy() as spy, self.captureOnCommitCallbacks(execute=True):
            rating = self.rate(Rating.HAPPY, comment=" شكراً ")
        assert (rating.case, rating.score, rating.comment, rating.closure) == (
            self.case,
            3,
            "شكراً",
            0,
        )
        [event] = audit_rows(self.case, "case.rated")
        assert (event.actor, event.extra) == (self.citizen, {"score": 3})
        assert spy.names == ["case.rated"]

    def test_a_case_closed_without_fixing_can_be_rated(self) -> None:
        self.case = self.submit()
        do_transition_case(
            self.case,
            Status.CLOSED_NOT_FIXED,
            actor=self.clerk,
            reason=CloseReason.NOT_MUNICIPALITY,
        )
        assert self.rate(Rating.UNHAPPY).score == 1

    def test_an_anonymous_reporter_rates_with_the_tracking_token(self) -> None:
        self.case = self.submit(actor=AnonymousUser(), contact=self.anonymous)
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        assert self.rate(actor=AnonymousUser(), token=self.case.tracking_token).score == 3
        with pytest.raises(PermissionDenied):
            do_rate_case(self.submit(), 3, actor=AnonymousUser(), token="wrong")

    def test_only_the_reporter_may_rate(self) -> None:
        for actor in (self.citizen2, AnonymousUser(), self.clerk, self.supervisor, self.stranger):
            with self.subTest(actor=str(actor)), pytest.raises(PermissionDenied):
                self.rate(actor=actor)
        with pytest.raises(PermissionDenied):
            self.rate(actor=AnonymousUser(), token="not-the-token")
        assert not CaseRating.objects.exists()

    def test_an_open_case_cannot_be_rated(self) -> None:
        self.case = self.submit()
        with pytest.raises(ValidationError) as exc:
            self.rate()
        assert exc.value.code == "not_closed"

    def test_a_duplicate_cannot_be_rated(self) -> None:
        original = self.submit()
        self.case = self.submit()
        do_transition_case(self.case, Status.DUPLICATE, actor=self.clerk, duplicate_of=original)
        with pytest.raises(ValidationError) as exc:
            self.rate()
        assert exc.value.code == "not_closed"

    def test_each_closure_is_rated_once(self) -> None:
        self.rate(Rating.NEUTRAL)
        with pytest.raises(ValidationError) as exc:
            self.rate(Rating.HAPPY)
        assert exc.value.code == "already_rated"
        assert list(CaseRating.objects.values_list("score", flat=True)) == [2]

    def test_after_a_reopen_and_a_new_closure_the_reporter_rates_again(self) -> None:
        self.rate(Rating.UNHAPPY)
        do_reopen_case(self.case, "لم يتم الإصلاح", actor=self.citizen)
        with pytest.raises(ValidationError):
            self.rate()  # open again
        do_transition_case(self.case, Status.FIXED, actor=self.clerk)
        self.rate(Rating.HAPPY)
        assert list(
            CaseRating.objects.filter(case=self.case)
            .order_by("closure")
            .values_list("closure", "score")
        ) == [(0, 1), (1, 3)]

    def test_the_score_is_one_of_three_faces(self) -> None:
        for score in (0, 4, -1, "3", None, 2.5):
            with self.subTest(score=score), pytest.raises(ValidationError) as exc:
                self.rate(score)
            assert exc.value.code == "invalid_rating"
        assert not CaseRating.objects.exists()

    def test_the_comment_is_limited(self) -> None:
        with pytest.raises(ValidationError) as exc:
            self.rate(comment="ت" * 4001)
        assert exc.value.code == "too_long"
