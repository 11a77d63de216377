"""SpiffWorkflow behind a small interface: content-addressed specs, instance
state in and out, and the script environment (docs/architecture.md, "The engine").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ProcessSpec
from models.base import insert_unless_present

from . import clock, history, registry
from .scripting import HELPERS

_SPEC_KEYS = ("spec", "subprocess_specs")


@dataclass
class ParsedProcess:
    process_id: str
    name: str
    hash: str
    xml: str
    path: Path
    spec: Any
    subprocess_specs: dict


class ProcessLibrary:
    """The diagrams of the registered procedures (or those given), parsed
    once and hashed by content."""

    def __init__(self, diagrams: Iterable[Path] | None = None):
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        self.script_engine = PythonScriptEngine(environment=TaskDataEnvironment(dict(HELPERS)))
        self._current: dict[str, ParsedProcess] = {}
        self._by_hash: dict[str, tuple[Any, dict]] = {}
        if diagrams is None:
            diagrams = {p.diagram for p in registry.procedures()}
        for path in sorted(diagrams):
            self._load_file(Path(path))

    def _load_file(self, path: Path) -> None:
        xml = path.read_text(encoding="utf-8")
        parser = SpiffBpmnParser(validator=VALIDATOR)
        parser.add_bpmn_str(xml.encode("utf-8"), filename=path.name)
        for process_id in parser.get_process_ids():
            spec = parser.get_spec(process_id)
            subs = parser.get_subprocess_specs(process_id)
            digest = hashlib.sha256(f"{process_id}\n{xml}".encode()).hexdigest()
            self._current[process_id] = ParsedProcess(
                process_id, spec.description or process_id, digest, xml, path, spec, subs
            )
            self._by_hash[digest] = (spec, subs)

    # --- specs ------------------------------------------------------------

    def processes(self) -> list[ParsedProcess]:
        return list(self._current.values())

    def ensure_stored(self, db: Session, process_id: str) -> str:
        """Store the current version of a process once; return its hash."""
        parsed = self._current[process_id]
        # No in-memory "already stored" flag: the insert may yet be rolled back.
        # Two first openings of a new version at once both insert; the second waits, then skips.
        if db.scalar(select(ProcessSpec.hash).where(ProcessSpec.hash == parsed.hash)) is None:
            insert_unless_present(
                db,
                ProcessSpec,
                hash=parsed.hash,
                process_id=process_id,
                name=parsed.name,
                serialized=self._serialize_spec(parsed),
                bpmn_xml=parsed.xml,
                created_at=clock.now(),
            )
        return parsed.hash

    def _serialize_spec(self, parsed: ParsedProcess) -> dict:
        converters = self.serializer.registry
        return {
            "spec": converters.convert(parsed.spec),
            "subprocess_specs": {k: converters.convert(v) for k, v in parsed.subprocess_specs.items()},
        }

    def _spec_for(self, db: Session, spec_hash: str) -> tuple[Any, dict]:
        if spec_hash not in self._by_hash:
            stored = db.scalar(select(ProcessSpec.serialized).where(ProcessSpec.hash == spec_hash))
            converters = self.serializer.registry
            spec = converters.restore(stored["spec"])
            subs = {k: converters.restore(v) for k, v in stored["subprocess_specs"].items()}
            self._by_hash[spec_hash] = (spec, subs)
        return self._by_hash[spec_hash]

    def names(self, db: Session, spec_hash: str) -> dict[str, str]:
        """Each element's name in the diagram, by id (its id if unnamed)."""
        spec, _subs = self._spec_for(db, spec_hash)
        return {key: task.bpmn_name or key for key, task in spec.task_specs.items() if hasattr(task, "bpmn_name")}

    def bpmn_xml(self, db: Session, spec_hash: str) -> str:
        return db.scalar(select(ProcessSpec.bpmn_xml).where(ProcessSpec.hash == spec_hash))

    # --- instances --------------------------------------------------------

    def start(self, process_id: str) -> BpmnWorkflow:
        parsed = self._current[process_id]
        return BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=self.script_engine)

    def restore(self, db: Session, spec_hash: str, state: dict) -> BpmnWorkflow:
        spec, subs = self._spec_for(db, spec_hash)
        dct = dict(state)
        version = dct.pop(self.serializer.VERSION_KEY, None)
        if version and version != self.serializer.VERSION:
            dct[self.serializer.VERSION_KEY] = version
            self.serializer.migrate(dct)
        workflow = _restore_with_spec(self.serializer, dct, spec, subs)
        workflow.script_engine = self.script_engine
        return workflow

    def dump(self, workflow: BpmnWorkflow, earlier: dict | None = None) -> dict:
        """Instance state only (the spec lives in `process_specs`), and only
        what later steps need: finished tasks are forgotten (history.py),
        noted beside what `earlier` state had forgotten."""
        forgotten = history.forget_finished(workflow, (earlier or {}).get(history.KEY))
        dct = self.serializer.to_dict(workflow)
        if forgotten:
            dct[history.KEY] = forgotten
        for key in _SPEC_KEYS:
            dct.pop(key, None)
        dct[self.serializer.VERSION_KEY] = self.serializer.VERSION
        return dct


def _restore_with_spec(serializer: BpmnWorkflowSerializer, dct: dict, spec, subs) -> BpmnWorkflow:
    """BpmnWorkflowConverter.from_dict (SpiffWorkflow 3.2.0, pinned), minus
    restoring the spec from a dict on every load: the spec object is shared."""
    converters = serializer.registry
    converter = converters.convert_from_dict["BpmnWorkflow"].args[0].__self__
    workflow = BpmnWorkflow(spec, subs, deserializing=True)
    workflow.tasks = converter.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
    converter.set_default_attributes(workflow, dct)
    converter.subprocesses_from_dict(dct["subprocesses"], workflow)
    workflow.bpmn_events = converters.restore(dct.get("bpmn_events", []))
    return workflow
