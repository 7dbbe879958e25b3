"""The tasks' part of the remote Console (`core.tasks.port.TasksPort` over HTTP)."""

from __future__ import annotations

from core.tasks.inputs import NewTask, TaskCheck, TaskDone
from core.tasks.models import Person, Reminders, Task, TaskCard, TaskScope
from storage.remote.base import RemoteBase


class RemoteTasks(RemoteBase):
    def create_task(self, task: NewTask) -> Task:
        return self._send("POST", "/tasks", Task, task)

    def tasks(self, scope: TaskScope = TaskScope.ALL, open_only: bool = True) -> list[Task]:
        return self._get("/tasks", list[Task], scope=TaskScope(scope).value, open_only=str(open_only).lower())

    def task(self, task_id: int) -> TaskCard:
        return self._get(f"/tasks/{int(task_id)}", TaskCard)

    def complete_task(self, task_id: int, done: TaskDone) -> Task:
        return self._send("POST", f"/tasks/{int(task_id)}/done", Task, done)

    def check_task(self, task_id: int, check: TaskCheck) -> Task:
        return self._send("POST", f"/tasks/{int(task_id)}/check", Task, check)

    def task_reminders(self) -> Reminders:
        return self._get("/tasks/reminders", Reminders)

    def task_assignees(self) -> list[Person]:
        return self._get("/tasks/assignees", list[Person])
