"""The demo's faster integer draws give the library's very numbers (the same seed, the same demo)."""

from __future__ import annotations

import random

import pytest

from storage.demo_world import DemoRandom


@pytest.mark.parametrize("seed", [7, 12345])
def test_the_same_draws_as_random_random(seed: int) -> None:
    ours, theirs = DemoRandom(seed), random.Random(seed)
    for i in range(20_000):
        width = 10 ** (i % 13) + i
        assert ours.randrange(width) == theirs.randrange(width)
        assert ours.randrange(-i, width) == theirs.randrange(-i, width)
        assert ours.randint(i, i + width) == theirs.randint(i, i + width)
        assert ours.randint(i, i) == theirs.randint(i, i)
        assert ours.random() == theirs.random()
        assert ours.choice("abcdefgh") == theirs.choice("abcdefgh")
    assert ours.randrange(0, 100, 7) == theirs.randrange(0, 100, 7)  # steps: the library's own code


def test_empty_ranges_still_refused() -> None:
    with pytest.raises(ValueError):
        DemoRandom(1).randrange(0)
    with pytest.raises(ValueError):
        DemoRandom(1).randint(3, 2)
