"""Counter.allocate: gap-free numbers for references and permit numbers."""

from __future__ import annotations

import pytest

from baladiyati.core.models import Counter
from baladiyati.testing import BaseTestCase


class CounterTest(BaseTestCase):
    def test_a_new_counter_starts_at_one(self) -> None:
        assert Counter.allocate("case-ref:test:2026") == range(1, 2)
        assert Counter.objects.get(name="case-ref:test:2026").value == 1

    def test_numbers_follow_each_other_without_gaps(self) -> None:
        numbers = [Counter.allocate("permits")[0] for _ in range(5)]
        assert numbers == [1, 2, 3, 4, 5]

    def test_it_reserves_a_block_of_consecutive_numbers(self) -> None:
        Counter.allocate("permits")
        assert list(Counter.allocate("permits", count=3)) == [2, 3, 4]
        assert Counter.allocate("permits")[0] == 5

    def test_each_name_has_its_own_sequence(self) -> None:
        Counter.allocate("a", count=10)
        assert Counter.allocate("b")[0] == 1
        assert Counter.allocate("a")[0] == 11

    def test_it_refuses_to_reserve_nothing(self) -> None:
        for count in (0, -1):
            with self.subTest(count=count), pytest.raises(ValueError):
                Counter.allocate("permits", count=count)
        assert not Counter.objects.filter(name="permits").exists()
