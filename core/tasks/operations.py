"""Tasks of the local Console: permission and desk rules, the state changes decided in core."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.tasks import recurrence, rules
from core.tasks.inputs import NewTask, TaskCheck, TaskDone
from core.tasks.models import Person, Reminders, Task, TaskCard, TaskScope, TaskStatus
from core.tasks.store import TaskDraft

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.tasks.store import TasksStore

TASKS_SHOWN = 500


class TaskOperations:
    """M6 for `core.console.LocalConsole` (a mixin: it brings whoami, the repo and the clock)."""

    repo: TasksStore
    clock: Clock
    timezone: str

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _as_employee(self, refusal: PermissionDenied) -> EmployeeInfo: ...

    def _task_me(self) -> EmployeeInfo:
        return self._as_employee(
            PermissionDenied("Sign in as an employee to set and work tasks (on the command line: --as LOGIN).")
        )

    def _task_desks(self, me: EmployeeInfo) -> tuple[int, ...] | None:
        return None if Permission.ALL_DESKS in me.permissions else tuple(me.desk_ids)

    def _marked_task(self, task: Task) -> Task:
        task.overdue = rules.is_overdue(task, self.clock.now())
        task.repeat = recurrence.shown(task.repeat)
        return task

    def create_task(self, task: NewTask) -> Task:
        me = self._task_me()
        now = self.clock.now()
        if task.deadline <= now:
            raise ValidationFailed("The deadline must be ahead.", field="deadline")
        watchers = tuple(dict.fromkeys(w for w in task.watcher_ids if w != task.assignee_id))
        allowed = self.repo.assignable([task.assignee_id, *watchers], self._task_desks(me))
        if task.assignee_id not in allowed:
            raise ValidationFailed("Set the task for an active employee of your desks.", field="assignee_id")
        if any(w not in allowed for w in watchers):
            raise ValidationFailed("Watchers are active employees of your desks.", field="watcher_ids")
        repeat = recurrence.normalise(task.repeat)
        draft = TaskDraft(
            title=task.title.strip(),
            text=task.text,
            author_id=me.id,
            assignee_id=task.assignee_id,
            watcher_ids=watchers,
            deadline=task.deadline,
            remind_at=rules.remind_at(task.deadline, task.remind_minutes),
            repeat=recurrence.anchored(repeat, task.deadline, self.timezone) if repeat else None,
            zone=self.timezone,
        )
        if not draft.title:
            raise ValidationFailed("A task needs a title.", field="title")
        return self.task(self.repo.add_task(draft, now)).task

    def tasks(self, scope: TaskScope = TaskScope.ALL, open_only: bool = True) -> list[Task]:
        me = self._task_me()
        return [self._marked_task(t) for t in self.repo.tasks_of(me.id, TaskScope(scope), open_only, TASKS_SHOWN)]

    def task(self, task_id: int) -> TaskCard:
        me = self._task_me()
        card = self.repo.task_card(task_id)
        if card is None or not rules.may_see(me, card.task, Permission.ALL_DESKS in me.permissions):
            raise NotFound("No such task.")
        self._marked_task(card.task)
        return card

    def _change_task(self, task_id: int, decide) -> Task:  # type: ignore[no-untyped-def]
        me = self._task_me()
        changed = self.repo.change_task(task_id, me.id, lambda task: decide(me, task), self.clock.now())
        if changed is None:
            raise NotFound("No such task.")
        return self._marked_task(changed[0])

    def complete_task(self, task_id: int, done: TaskDone) -> Task:
        def decide(me: EmployeeInfo, task: Task) -> rules.TaskChange:
            change = rules.mark_done(me, task, done.comment)
            if rules.self_set_done(task):
                return rules.TaskChange(TaskStatus.ACCEPTED, "accepted", done.comment)
            return change

        return self._change_task(task_id, decide)

    def check_task(self, task_id: int, check: TaskCheck) -> Task:
        return self._change_task(task_id, lambda me, task: rules.check(me, task, check.accept, check.comment))

    def task_reminders(self) -> Reminders:
        me = self._task_me()
        return self.repo.task_reminders(me.id, self.clock.now(), rules.REMINDERS_SHOWN)

    def task_assignees(self) -> list[Person]:
        me = self._task_me()
        return [Person(id=i, name=n) for i, n in self.repo.task_people(self._task_desks(me))]
