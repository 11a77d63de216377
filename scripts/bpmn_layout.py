"""Write a BPMN file with its diagram layout (DI) from a short description:
each node has a lane and a column, flows are drawn as right angles. Used to
draw bpmn/volunteer_problem_solving.bpmn and bpmn/trustee_referral.bpmn; the
files it writes open and can be edited in any modeler."""

from __future__ import annotations

from xml.sax.saxutils import escape

SIZES = {"userTask": (100, 80), "scriptTask": (100, 80), "exclusiveGateway": (50, 50)}
EVENT = (36, 36)
COLUMN, LANE_HEIGHT, LEFT = 150, 220, 210


def _size(kind):
    return SIZES.get(kind, EVENT)


def write(path, *, process_id, name, documentation, lanes, nodes, flows):
    """lanes: [(id, name)]; nodes: dicts with id, kind, name, lane, col and
    optional row, props, script, doc, timer, attached, cancel, terminate,
    default; flows: (id, source, target, name, condition)."""
    lane_index = {lid: i for i, (lid, _n) in enumerate(lanes)}
    by_id = {n["id"]: n for n in nodes}
    bounds = {}
    for n in nodes:
        if n["kind"] == "boundaryEvent":
            continue
        w, h = _size(n["kind"])
        cx = LEFT + 60 + n["col"] * COLUMN + 50
        cy = 30 + lane_index[n["lane"]] * LANE_HEIGHT + 70 + n.get("row", 0) * 100
        bounds[n["id"]] = (cx - w // 2, cy - h // 2, w, h)
    for n in nodes:
        if n["kind"] == "boundaryEvent":
            hx, hy, _hw, hh = bounds[n["attached"]]
            offset = n.get("offset", 0)
            bounds[n["id"]] = (hx + 2 + offset * 46, hy + hh - 18, 36, 36)
    width = LEFT + 60 + (max(n["col"] for n in nodes) + 1) * COLUMN + 60
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_{process_id}" '
        'targetNamespace="http://bpmn.io/schema/bpmn" exporter="scripts/bpmn_layout.py" exporterVersion="1.0">',
        f'  <bpmn:collaboration id="Collaboration_{process_id}">',
        f'    <bpmn:participant id="Participant_{process_id}" name="{escape(name)}" processRef="{process_id}" />',
        "  </bpmn:collaboration>",
        f'  <bpmn:process id="{process_id}" name="{escape(name)}" isExecutable="true">',
        f"    <bpmn:documentation>{escape(documentation)}</bpmn:documentation>",
        f'    <bpmn:laneSet id="LaneSet_{process_id}">',
    ]
    for lid, lname in lanes:
        out.append(f'      <bpmn:lane id="{lid}" name="{escape(lname)}">')
        out += [f"        <bpmn:flowNodeRef>{n['id']}</bpmn:flowNodeRef>" for n in nodes if n["lane"] == lid]
        out.append("      </bpmn:lane>")
    out.append("    </bpmn:laneSet>")
    incoming = {n["id"]: [f[0] for f in flows if f[2] == n["id"]] for n in nodes}
    outgoing = {n["id"]: [f[0] for f in flows if f[1] == n["id"]] for n in nodes}
    for n in nodes:
        out += _node(n, incoming[n["id"]], outgoing[n["id"]])
    for fid, src, tgt, fname, cond in flows:
        label = f' name="{escape(fname)}"' if fname else ""
        if cond:
            out.append(f'    <bpmn:sequenceFlow id="{fid}"{label} sourceRef="{src}" targetRef="{tgt}">')
            out.append(
                f'      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(cond)}'
                "</bpmn:conditionExpression>"
            )
            out.append("    </bpmn:sequenceFlow>")
        else:
            out.append(f'    <bpmn:sequenceFlow id="{fid}"{label} sourceRef="{src}" targetRef="{tgt}" />')
    out.append("  </bpmn:process>")
    out.append(f'  <bpmndi:BPMNDiagram id="BPMNDiagram_{process_id}">')
    out.append(f'    <bpmndi:BPMNPlane id="BPMNPlane_{process_id}" bpmnElement="Collaboration_{process_id}">')
    total = len(lanes) * LANE_HEIGHT
    participant = f"Participant_{process_id}"
    out.append(f'      <bpmndi:BPMNShape id="{participant}_di" bpmnElement="{participant}" isHorizontal="true">')
    out.append(f'        <dc:Bounds x="{LEFT - 30}" y="30" width="{width + 30}" height="{total}" />')
    out.append("      </bpmndi:BPMNShape>")
    for i, (lid, _n) in enumerate(lanes):
        out.append(f'      <bpmndi:BPMNShape id="{lid}_di" bpmnElement="{lid}" isHorizontal="true">')
        out.append(
            f'        <dc:Bounds x="{LEFT}" y="{30 + i * LANE_HEIGHT}" width="{width}" height="{LANE_HEIGHT}" />'
        )
        out.append("      </bpmndi:BPMNShape>")
    for n in nodes:
        x, y, w, h = bounds[n["id"]]
        marker = ' isMarkerVisible="true"' if n["kind"] == "exclusiveGateway" else ""
        out.append(f'      <bpmndi:BPMNShape id="{n["id"]}_di" bpmnElement="{n["id"]}"{marker}>')
        out.append(f'        <dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" />')
        if n["kind"] not in ("userTask", "scriptTask"):
            out.append("        <bpmndi:BPMNLabel>")
            out.append(f'          <dc:Bounds x="{x + w // 2 - 50}" y="{y + h + 4}" width="100" height="27" />')
            out.append("        </bpmndi:BPMNLabel>")
        out.append("      </bpmndi:BPMNShape>")
    for fid, src, tgt, _name, _cond in flows:
        out.append(f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">')
        out += [f'        <di:waypoint x="{px}" y="{py}" />' for px, py in _route(bounds[src], bounds[tgt], by_id[src])]
        out.append("      </bpmndi:BPMNEdge>")
    out += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>", "</bpmn:definitions>", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def _node(n, incoming, outgoing):
    kind = n["kind"]
    attrs = f'id="{n["id"]}" name="{escape(n["name"])}"'
    if kind == "boundaryEvent":
        attrs += f' attachedToRef="{n["attached"]}"'
        if not n.get("cancel", True):
            attrs += ' cancelActivity="false"'
    if n.get("default"):
        attrs += f' default="{n["default"]}"'
    lines = [f"    <bpmn:{kind} {attrs}>"]
    if n.get("doc"):
        lines.append(f"      <bpmn:documentation>{escape(n['doc'])}</bpmn:documentation>")
    if n.get("props"):
        lines.append("      <bpmn:extensionElements>")
        lines.append("        <spiffworkflow:properties>")
        for key, value in n["props"].items():
            lines.append(f'          <spiffworkflow:property name="{key}" value="{escape(value)}" />')
        lines.append("        </spiffworkflow:properties>")
        lines.append("      </bpmn:extensionElements>")
    lines += [f"      <bpmn:incoming>{f}</bpmn:incoming>" for f in incoming]
    lines += [f"      <bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing]
    if n.get("script"):
        lines.append(f"      <bpmn:script>{escape(n['script'])}</bpmn:script>")
    if n.get("timer"):
        lines.append(f'      <bpmn:timerEventDefinition id="TimerEventDefinition_{n["id"]}">')
        lines.append(f'        <bpmn:timeDate xsi:type="bpmn:tFormalExpression">{escape(n["timer"])}</bpmn:timeDate>')
        lines.append("      </bpmn:timerEventDefinition>")
    if n.get("terminate"):
        lines.append(f'      <bpmn:terminateEventDefinition id="TerminateEventDefinition_{n["id"]}" />')
    lines.append(f"    </bpmn:{kind}>")
    return lines


def _route(a, b, source):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    if source["kind"] == "boundaryEvent":
        start = (ax + aw // 2, ay + ah)
        end_y = by + bh // 2
        if bx > ax + aw:
            return [start, (start[0], end_y), (bx, end_y)]
        return [start, (start[0], by)]
    sy, ty = ay + ah // 2, by + bh // 2
    start, end = (ax + aw, sy), (bx, ty)
    if bx < ax:  # a flow going back: below both
        low = max(ay + ah, by + bh) + 20
        return [(ax + aw // 2, ay + ah), (ax + aw // 2, low), (bx + bw // 2, low), (bx + bw // 2, by + bh)]
    if sy == ty:
        return [start, end]
    mid = bx - 25
    return [start, (mid, sy), (mid, ty), end]
