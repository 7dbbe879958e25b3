"""The job queue on both engines: run once, retry with backoff, fail visibly without client data,
once per dedupe key, the lease taken over, and the effect committed only with the done mark."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text

import tests.jobs_probe  # noqa: F401 - registers test.probe
from core.jobs import rules
from core.jobs.models import JobStatus, NewJob
from core.jobs.worker import Worker
from tests.helpers import Crm
from tests.jobs_probe import PROBE_TABLE


@pytest.fixture
def world(crm: Crm) -> Crm:
    with crm.engine.begin() as conn:
        conn.execute(text(PROBE_TABLE))
    return crm


def effects(crm: Crm) -> list[tuple[int, int]]:
    with crm.engine.connect() as conn:
        return [
            tuple(r) for r in conn.execute(text("SELECT job_id, attempt FROM probe_effect ORDER BY job_id, attempt"))
        ]


def worker(crm: Crm, name: str = "w1") -> Worker:
    return Worker(crm.repo, crm.clock, name=name)


def test_a_job_runs_once_and_is_done(world: Crm) -> None:
    job_id = world.repo.enqueue_job(NewJob(kind="test.probe"), world.clock.now())
    assert worker(world).run_until_idle() == 1
    assert worker(world).run_until_idle() == 0
    assert effects(world) == [(job_id, 1)]
    (info,) = world.repo.list_jobs(JobStatus.DONE, 10)
    assert info.id == job_id and info.attempts == 1 and info.finished_at == world.clock.now()


def test_a_job_waits_for_its_time(world: Crm) -> None:
    later = world.clock.now() + timedelta(minutes=10)
    world.repo.enqueue_job(NewJob(kind="test.probe", run_after=later), world.clock.now())
    assert worker(world).run_once() == 0
    world.clock.advance(minutes=10)
    assert worker(world).run_once() == 1


def test_a_failure_rolls_its_effect_back_and_retries_with_backoff(world: Crm) -> None:
    job_id = world.repo.enqueue_job(NewJob(kind="test.probe", payload={"fail_until": 2}), world.clock.now())
    w = worker(world)
    assert w.run_once() == 1
    assert effects(world) == []  # the attempt's write went with its rollback
    (info,) = world.repo.list_jobs(None, 10)
    assert info.status == JobStatus.QUEUED and info.attempts == 1
    assert info.run_after == world.clock.now() + rules.BACKOFF_BASE
    world.clock.advance(seconds=5)
    assert w.run_once() == 1
    (info,) = world.repo.list_jobs(None, 10)
    assert info.run_after == world.clock.now() + 2 * rules.BACKOFF_BASE  # doubled
    world.clock.advance(seconds=9)
    assert w.run_once() == 0
    world.clock.advance(seconds=1)
    assert w.run_once() == 1
    assert effects(world) == [(job_id, 3)]


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [rules.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert rules.backoff(30) == rules.BACKOFF_CAP


def test_a_failed_job_shows_its_error_without_client_data_and_can_be_retried(world: Crm) -> None:
    phone = "+79123456789"
    payload = {"fail_until": 99, "secret": f"Иванов {phone}"}
    job_id = world.repo.enqueue_job(NewJob(kind="test.probe", payload=payload, max_attempts=2), world.clock.now())
    w = worker(world)
    w.run_once()
    world.clock.advance(minutes=1)
    w.run_once()
    (info,) = world.repo.list_jobs(JobStatus.FAILED, 10)
    assert info.id == job_id and info.attempts == 2 and info.last_error == "ValueError"
    assert phone not in (info.last_error or "") and "Иванов" not in (info.last_error or "")
    assert world.repo.requeue_job(job_id, world.clock.now())
    assert not world.repo.requeue_job(job_id, world.clock.now())  # queued now, not failed
    (info,) = world.repo.list_jobs(JobStatus.QUEUED, 10)
    assert info.attempts == 0


def test_the_projects_own_error_message_is_kept(world: Crm) -> None:
    world.repo.enqueue_job(NewJob(kind="test.probe", payload={"refuse": True}, max_attempts=1), world.clock.now())
    worker(world).run_once()
    (info,) = world.repo.list_jobs(JobStatus.FAILED, 10)
    assert info.last_error == "JobError: The probe refused."


def test_an_unknown_kind_fails_visibly(world: Crm) -> None:
    world.repo.enqueue_job(NewJob(kind="no.such.kind", max_attempts=1), world.clock.now())
    worker(world).run_once()
    (info,) = world.repo.list_jobs(JobStatus.FAILED, 10)
    assert info.last_error == "JobError: No handler for the job kind 'no.such.kind'."


def test_one_job_per_dedupe_key(world: Crm) -> None:
    now = world.clock.now()
    first = world.repo.enqueue_job(NewJob(kind="test.probe", dedupe_key="task:7:due"), now)
    assert first is not None
    assert world.repo.enqueue_job(NewJob(kind="test.probe", dedupe_key="task:7:due"), now) is None
    assert len(world.repo.list_jobs(None, 10)) == 1


def test_a_killed_workers_job_is_taken_again_after_the_lease(world: Crm) -> None:
    now = world.clock.now()
    job_id = world.repo.enqueue_job(NewJob(kind="test.probe"), now)
    (lost,) = world.repo.claim_jobs("dead", now, rules.LEASE, 10)  # claimed, then the worker died
    assert world.repo.claim_jobs("alive", now, rules.LEASE, 10) == []  # still leased
    world.clock.advance(seconds=rules.LEASE.total_seconds() + 1)
    (taken,) = world.repo.claim_jobs("alive", world.clock.now(), rules.LEASE, 10)
    assert taken.id == job_id and taken.attempts == 2
    # the first claim, come back to life, may not finish it: its effect is not written
    assert not world.repo.complete_job(lost, world.clock.now(), lambda repo: pytest.fail("ran on a lost claim"))
    assert world.repo.complete_job(taken, world.clock.now(), lambda repo: None)


def test_concurrent_claimers_never_share_a_job(world: Crm) -> None:
    now = world.clock.now()
    for _ in range(60):
        world.repo.enqueue_job(NewJob(kind="test.probe"), now)
    got: dict[str, list[int]] = {}
    start = threading.Barrier(3)

    def claim(name: str) -> None:
        start.wait()
        mine = got.setdefault(name, [])
        while batch := world.repo.claim_jobs(name, now, rules.LEASE, 5):
            mine.extend(j.id for j in batch)

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [j for ids in got.values() for j in ids]
    assert len(every) == len(set(every)) == 60
