"""A case's workflow state the size of its present, not of its past.

SpiffWorkflow keeps every task a case ever ran: a loop (a postponed
hearing, a suspension review) adds a chain of tasks per turn, and every
step restores and saves them all, so step cost grows with history (the
bench's "history" figure: about 4x after 50 postponements). The case's
record does not live there — the audit trail and the `case_tasks` rows
hold who did what and when — so before each save `forget_finished` drops
finished tasks the engine will never look at again, and keeps a
constant-size note of which steps they were (for the diagram's colours).

What the engine still reads, and so what is kept:
- every unfinished task, its parent (a join reads its inputs' parents,
  and merges their data) and its children (a multi-instance task's
  finished instances);
- every instance of a join that is still waiting, with their parents
  (`UnstructuredJoin` counts arrived inputs across instances);
- the root and the last task run (the serializer names both).
A kept task hangs from its nearest kept ancestor. Each task carries its
own copy of the data, so nothing a live task knows is lost; the serializer
stores each task's data as a delta on its (new) parent's.
"""

from __future__ import annotations

from uuid import UUID

from SpiffWorkflow.bpmn.specs.mixins.unstructured_join import UnstructuredJoin
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

# The state key for what was forgotten: spec names, each listed once.
KEY = "forgotten"


def forget_finished(workflow, forgotten: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Drop what no later step needs; return the note of forgotten steps,
    merged with the one the case already had."""
    note = {state: set(names) for state, names in (forgotten or {}).items()}
    keep = _needed(workflow)
    if len(keep) == len(workflow.tasks):
        return _sorted(note)
    _rehang(workflow.task_tree, keep)
    for task_id in [t for t in workflow.tasks if t not in keep]:
        task = workflow.tasks[task_id]
        if task_id in workflow.subprocesses:  # a finished subprocess, with its task
            workflow.delete_subprocess(task)
        label = "completed" if task.has_state(TaskState.COMPLETED) else "cancelled"
        note.setdefault(label, set()).add(task.task_spec.name)
        del workflow.tasks[task_id]
    return _sorted(note)


def _needed(workflow) -> set[UUID]:
    tasks = workflow.tasks.values()
    live = [t for t in tasks if not t.has_state(TaskState.FINISHED_MASK)]
    waiting_joins = {t.task_spec for t in live if isinstance(t.task_spec, UnstructuredJoin)}
    keep = {workflow.task_tree.id}
    if workflow.last_task is not None:
        keep.add(workflow.last_task.id)
    for task in live:
        keep.add(task.id)
        keep.update(task._children)
        if task._parent is not None:
            keep.add(task._parent)
    for task in tasks:
        if task.task_spec in waiting_joins:
            keep.add(task.id)
            if task._parent is not None:
                keep.add(task._parent)
    return keep


def _rehang(root: Task, keep: set[UUID]) -> None:
    """Give every kept task its nearest kept ancestor as parent, keeping the
    children's order (Spiff reads boundary events in order)."""
    new_children: dict[UUID, list[UUID]] = {}
    stack = [(root, None)]
    while stack:
        task, kept_above = stack.pop()
        if task.id in keep:
            task._parent = kept_above
            if kept_above is not None:
                new_children[kept_above].append(task.id)
            new_children[task.id] = []
            kept_above = task.id
        stack.extend((child, kept_above) for child in reversed(task.children))
    for task_id, children in new_children.items():
        root.workflow.tasks[task_id]._children = children


def _sorted(note: dict[str, set[str]]) -> dict[str, list[str]]:
    return {state: sorted(names) for state, names in note.items() if names}
