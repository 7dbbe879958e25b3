"""A serving process sets the heap of its built app aside from the cyclic GC and collects its
youngest generation less often (api.app.settle_gc); the test process's thresholds are restored
after (its conftest freezes the collected suite too, so what the app froze stays frozen)."""

from __future__ import annotations

import gc

import pytest

from api.app import GC_YOUNG_THRESHOLD, TARGET_ENV, app_from_env
from tests.api.world import World


def test_a_worker_built_by_the_factory_freezes_its_heap_and_raises_the_young_threshold(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TARGET_ENV, world.target)
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        app = app_from_env()
        assert gc.get_freeze_count() > frozen  # the app's objects among them
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *before[1:])
        app.state.crm.repo.engine.dispose()
    finally:
        gc.set_threshold(*before)
