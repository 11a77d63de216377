"""The diagram contract, checked at start-up and by a test.

Every lane of a procedure's diagram is one of its case roles; every
property on an element resolves to something the procedure registered (a
step, a notice or letter template, a status, a role to notify); and every
data name a script, gateway or timer reads is produced before it: by the
opening, a step's contract, a step's check, an earlier script or a caught
signal (what is recorded with it, or its payload). A problem
names the diagram and the element, so a misspelt lane is an error at start
rather than an appeal quietly routed to the wrong people.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from . import texts
from .errors import ProcedureError
from .registry import Procedure
from .scripting import HELPERS
from .specs import ProcessLibrary

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
_PROPERTY = "bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property"
PROPERTIES = {
    "form",
    "notify",
    "notify_to",
    "notify_waiting",
    "letter",
    "case_status",
    "due_in_hours",
    "due_in_working_days",
    "due_at",
}
_FLOW_NODES = {
    "startEvent",
    "endEvent",
    "userTask",
    "scriptTask",
    "manualTask",
    "task",
    "serviceTask",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "intermediateThrowEvent",
    "intermediateCatchEvent",
    "boundaryEvent",
    "subProcess",
    "callActivity",
}
_ALWAYS_THERE = set(HELPERS) | set(dir(builtins))


@dataclass(frozen=True)
class Problem:
    diagram: str
    element: str
    message: str

    def __str__(self) -> str:
        return f"{self.diagram}, {self.element}: {self.message}"


def check(procedures: Iterable[Procedure], library: ProcessLibrary) -> list[Problem]:
    parsed = {p.process_id: p for p in library.processes()}
    problems: list[Problem] = []
    for procedure in procedures:
        process = parsed.get(procedure.kind)
        if process is None:
            problems.append(
                Problem(procedure.diagram.name, procedure.kind, "the diagram has no executable process of this id")
            )
            continue
        root = etree.fromstring(process.xml.encode("utf-8"))
        element = root.find(f".//bpmn:process[@id='{procedure.kind}']", NS)
        problems += _Diagram(procedure, element).problems()
    return problems


def assert_sound(procedures: Iterable[Procedure], library: ProcessLibrary) -> None:
    problems = check(procedures, library)
    if problems:
        raise ProcedureError("The diagrams do not fit their procedures:\n" + "\n".join(f"  {p}" for p in problems))


def _local(element) -> str:
    return etree.QName(element).localname


class _Diagram:
    def __init__(self, procedure: Procedure, process):
        self.procedure, self.process, self.found = procedure, process, []
        self.nodes = {n.get("id"): n for n in process.iter() if isinstance(n.tag, str) and _local(n) in _FLOW_NODES}
        self.lane_of = {
            ref.text: lane.get("name")
            for lane in process.iterfind(".//bpmn:lane", NS)
            for ref in lane.iterfind("bpmn:flowNodeRef", NS)
        }

    def problem(self, element_id: str, message: str) -> None:
        self.found.append(Problem(self.procedure.diagram.name, element_id, message))

    def problems(self) -> list[Problem]:
        self._check_lanes()
        for node_id, node in self.nodes.items():
            self._check_properties(node_id, node)
        self._check_data()
        return self.found

    # --- lanes and properties -----------------------------------------------

    def _check_lanes(self) -> None:
        roles = self.procedure.roles
        for lane in self.process.iterfind(".//bpmn:lane", NS):
            if lane.get("name") not in roles:
                self.problem(
                    lane.get("id"),
                    f"lane '{lane.get('name')}' is not a case role of "
                    f"{self.procedure.kind} (its roles: {', '.join(roles)})",
                )

    def _check_properties(self, node_id: str, node) -> None:
        props = {p.get("name"): p.get("value") for p in node.iterfind(_PROPERTY, NS)}
        for name in sorted(set(props) - PROPERTIES):
            self.problem(node_id, f"unknown property '{name}' (known: {', '.join(sorted(PROPERTIES))})")
        is_user_task = _local(node) == "userTask"
        if is_user_task:
            self._check_user_task(node_id, props.get("form"))
        elif "form" in props:
            self.problem(node_id, "only a user task has a form")
        for waits in ("notify_waiting", "due_at"):
            if waits in props and not is_user_task:
                self.problem(node_id, f"only a user task waits on someone ({waits})")
        self._check_outputs(node_id, props)

    def _check_user_task(self, node_id: str, form: str | None) -> None:
        procedure = self.procedure
        if node_id not in self.lane_of:
            self.problem(node_id, "the user task is in no lane, so nobody would be asked to do it")
        if not form:
            self.problem(node_id, "the user task names no form")
        elif form not in procedure.steps:
            self.problem(
                node_id, f"form '{form}' is not a step of {procedure.kind} (its steps: {', '.join(procedure.steps)})"
            )

    def _check_outputs(self, node_id: str, props: dict) -> None:
        procedure = self.procedure
        if "notify" in props:
            if not texts.exists(procedure.notices, props["notify"]):
                self.problem(node_id, f"notice '{props['notify']}' has no template in {procedure.notices.name}/")
            if not props.get("notify_to"):
                self.problem(node_id, "a notice needs notify_to: the case roles it goes to")
        waiting = props.get("notify_waiting")
        if waiting and not texts.exists(procedure.notices, waiting):
            self.problem(node_id, f"notice '{waiting}' has no template in {procedure.notices.name}/")
        for role in (r.strip() for r in (props.get("notify_to") or "").split(",") if r.strip()):
            if role not in procedure.roles:
                self.problem(node_id, f"notify_to names '{role}', not a case role of {procedure.kind}")
        if "letter" in props and not texts.exists(procedure.letters, props["letter"]):
            self.problem(node_id, f"letter '{props['letter']}' has no template in letters/")
        if "case_status" in props and props["case_status"] not in procedure.statuses:
            self.problem(
                node_id,
                f"status '{props['case_status']}' is not a status of {procedure.kind} "
                f"(its statuses: {', '.join(procedure.statuses)})",
            )
        if "due_in_hours" in props:
            try:
                if float(props["due_in_hours"]) <= 0:
                    raise ValueError
            except ValueError:
                self.problem(node_id, f"due_in_hours '{props['due_in_hours']}' is not a number of hours")
        days = props.get("due_in_working_days")
        if days is not None and not (days.isdigit() and int(days) > 0):
            self.problem(node_id, f"due_in_working_days '{days}' is not a whole number of days")

    # --- data names -------------------------------------------------------------

    def _check_data(self) -> None:
        preds = self._predecessors()
        products = {node_id: self._produced_by(node_id, node) for node_id, node in self.nodes.items()}
        for node_id, names, what in self._reads():
            available = set(self.procedure.start_data) | _ALWAYS_THERE
            for earlier in _ancestors(node_id, preds):
                available |= products.get(earlier, set())
            for name in sorted(names - available):
                self.problem(node_id, f"{what} reads '{name}', which nothing before it produces")

    def _predecessors(self) -> dict[str, set[str]]:
        preds: dict[str, set[str]] = {node_id: set() for node_id in self.nodes}
        for flow in self.process.iterfind(".//bpmn:sequenceFlow", NS):
            preds.setdefault(flow.get("targetRef"), set()).add(flow.get("sourceRef"))
        # A boundary event fires while its activity is still running: it knows
        # what came before the activity, not what the activity will produce.
        for node_id, node in self.nodes.items():
            if _local(node) == "boundaryEvent":
                preds[node_id] |= preds.get(node.get("attachedToRef"), set())
        return preds

    def _produced_by(self, node_id: str, node) -> set[str]:
        kind = _local(node)
        if kind == "scriptTask":
            return _stored_names(self._script(node_id, node))
        if kind == "userTask":
            props = {p.get("name"): p.get("value") for p in node.iterfind(_PROPERTY, NS)}
            step = self.procedure.steps.get(props.get("form") or "")
            return step.produces() if step else set()
        if kind in ("intermediateCatchEvent", "boundaryEvent"):
            return self._signal_products(node)
        return set()

    def _signal_products(self, node) -> set[str]:
        """A caught signal brings what is recorded with it (a registered
        `Recording` of that name), or its payload under `variableName`."""
        found: set[str] = set()
        for caught in node.iterfind("bpmn:signalEventDefinition", NS):
            signal = self.process.getparent().find(f"bpmn:signal[@id='{caught.get('signalRef')}']", NS)
            if signal is None:
                continue
            recording = self.procedure.recordings.get(signal.get("name"))
            found |= recording.produces() if recording else set()
            variable = signal.find("bpmn:extensionElements/spiffworkflow:variableName", NS)
            if variable is not None and variable.text:
                found.add(variable.text.strip())
        return found

    def _reads(self) -> Iterable[tuple[str, set[str], str]]:
        for node_id, node in self.nodes.items():
            if _local(node) == "scriptTask":
                yield node_id, _read_names(self._script(node_id, node)), "the script"
            for timer in node.iterfind("bpmn:timerEventDefinition/*", NS):
                yield node_id, _read_names(self._parse(node_id, timer.text or "", "eval")), "the timer"
            for prop in node.iterfind(_PROPERTY, NS):
                if prop.get("name") == "due_at":  # a data name, read when the step becomes ready
                    yield node_id, {prop.get("value")}, "due_at"
        for flow in self.process.iterfind(".//bpmn:sequenceFlow", NS):
            condition = flow.find("bpmn:conditionExpression", NS)
            if condition is not None:
                tree = self._parse(flow.get("id"), condition.text or "", "eval")
                yield flow.get("sourceRef"), _read_names(tree), f"the condition on {flow.get('id')}"

    def _script(self, node_id: str, node) -> ast.AST:
        script = node.find("bpmn:script", NS)
        return self._parse(node_id, script.text if script is not None else "", "exec")

    def _parse(self, element_id: str, source: str, mode: str) -> ast.AST:
        try:
            return ast.parse(source.strip(), mode=mode)
        except SyntaxError as error:
            self.problem(element_id, f"does not parse as Python: {error.msg}")
            return ast.parse("", mode="exec")


def _ancestors(node_id: str, preds: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), list(preds.get(node_id, ()))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(preds.get(current, ()))
    return seen


def _names(tree: ast.AST, context: type) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, context)}


def _stored_names(tree: ast.AST) -> set[str]:
    return _names(tree, ast.Store)


def _read_names(tree: ast.AST) -> set[str]:
    """Names read before the code itself assigns them, statement by statement."""
    statements = tree.body if isinstance(tree, ast.Module) else [tree]
    reads, assigned = set(), set()
    for statement in statements:
        reads |= _names(statement, ast.Load) - assigned
        assigned |= _names(statement, ast.Store)
    return reads
