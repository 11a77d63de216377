"""The diagrams drawn by script (not in a modeler) open in one as drawn: a
shape for every element and an edge for every flow, each element inside its
lane, nothing on top of anything else, and every edge from its source to its
target."""

from __future__ import annotations

from itertools import combinations, pairwise
from xml.etree import ElementTree

import pytest

from workflows.procedures import BPMN_DIR

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
NODES = (
    "startEvent",
    "endEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "scriptTask",
    "userTask",
    "exclusiveGateway",
)
TOUCH = 2  # pixels an edge's end may be off its shape's border


# Diagrams whose layout was written by a script rather than drawn in a modeler.
SCRIPTED = (
    "inaccurate_information_report.bpmn",
    "subject_access_request.bpmn",
    "volunteer_problem_solving.bpmn",
    "trustee_referral.bpmn",
)


@pytest.fixture(scope="module", params=SCRIPTED)
def diagram(request):
    root = ElementTree.parse(BPMN_DIR / request.param).getroot()
    process = root.find("bpmn:process", NS)
    nodes = {e.get("id"): e for kind in NODES for e in process.findall(f"bpmn:{kind}", NS)}
    flows = {f.get("id"): f for f in process.findall("bpmn:sequenceFlow", NS)}
    lanes = {lane.get("id"): lane for lane in process.iter(f"{{{NS['bpmn']}}}lane")}
    shapes = {s.get("bpmnElement"): _box(s.find("dc:Bounds", NS)) for s in root.iter(f"{{{NS['bpmndi']}}}BPMNShape")}
    edges = {
        e.get("bpmnElement"): [(float(p.get("x")), float(p.get("y"))) for p in e.findall("di:waypoint", NS)]
        for e in root.iter(f"{{{NS['bpmndi']}}}BPMNEdge")
    }
    pool = root.find("bpmn:collaboration/bpmn:participant", NS).get("id")
    return nodes, flows, lanes, shapes, edges, pool


def _box(bounds) -> tuple[float, float, float, float]:
    x, y, w, h = (float(bounds.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def _inside(inner, outer) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _on_border(point, box) -> bool:
    x, y = point
    within_x, within_y = box[0] - TOUCH <= x <= box[2] + TOUCH, box[1] - TOUCH <= y <= box[3] + TOUCH
    on_x = min(abs(x - box[0]), abs(x - box[2])) <= TOUCH
    on_y = min(abs(y - box[1]), abs(y - box[3])) <= TOUCH
    return within_x and within_y and (on_x or on_y)


def test_every_element_and_flow_is_drawn(diagram):
    nodes, flows, lanes, shapes, edges, pool = diagram
    assert set(nodes) | set(lanes) | {pool} <= set(shapes)
    assert set(flows) == set(edges) and all(len(points) >= 2 for points in edges.values())


def test_lanes_fill_the_pool_and_hold_their_elements(diagram):
    nodes, _flows, lanes, shapes, _edges, pool = diagram
    stacked = sorted(shapes[lane] for lane in lanes)
    assert all(_inside(shapes[lane], shapes[pool]) for lane in lanes)
    assert all(a[3] == b[1] for a, b in pairwise(stacked))  # no gaps, no overlaps
    for lane_id, lane in lanes.items():
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            assert _inside(shapes[ref.text], shapes[lane_id]), f"{ref.text} is outside {lane.get('name')}"
    assigned = [ref.text for lane in lanes.values() for ref in lane.findall("bpmn:flowNodeRef", NS)]
    assert sorted(assigned) == sorted(nodes)  # every element in exactly one lane


def test_nothing_is_drawn_on_top_of_anything_else(diagram):
    nodes, *_rest, shapes, _edges, _pool = diagram
    free = [n for n, e in nodes.items() if not e.tag.endswith("boundaryEvent")]
    for a, b in combinations(free, 2):
        assert not _overlap(shapes[a], shapes[b]), f"{a} overlaps {b}"
    for node_id, element in nodes.items():
        if element.tag.endswith("boundaryEvent"):
            task, (x0, y0, x1, y1) = shapes[element.get("attachedToRef")], shapes[node_id]
            assert _on_border(((x0 + x1) / 2, (y0 + y1) / 2), task), f"{node_id} is not on its task's border"
            others = [n for n in nodes if n not in (node_id, element.get("attachedToRef"))]
            assert not any(_overlap(shapes[node_id], shapes[o]) for o in others), f"{node_id} overlaps"


def test_every_edge_runs_from_its_source_to_its_target(diagram):
    _nodes, flows, _lanes, shapes, edges, _pool = diagram
    for flow_id, flow in flows.items():
        points = edges[flow_id]
        assert _on_border(points[0], shapes[flow.get("sourceRef")]), f"{flow_id} does not leave its source"
        assert _on_border(points[-1], shapes[flow.get("targetRef")]), f"{flow_id} does not reach its target"
        for (x0, y0), (x1, y1) in pairwise(points):
            assert x0 == x1 or y0 == y1, f"{flow_id} has a slanted segment"
