"""Every word of a diagram's labels fits its label's width on the case page,
so bpmn-js never breaks a word across lines ("Remove / d"). Measured in
DejaVu Sans at bpmn-js's 11px label size: wider than the Arial (Liberation
Sans) Chromium draws them in, so a word that fits here fits there."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import ImageFont

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # `make fonts`
# breach_investigation.bpmn is another engineer's, and not yet checked here.
DIAGRAMS = ["takedown_request", "disciplinary", "inaccurate_information_report", "monitoring_finding"]
NS = {"dc": "http://www.omg.org/spec/DD/20100524/DC", "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}
LABEL_PX, TASK_PX = 11, 12  # bpmn-js's font sizes: external labels, and names inside a task
TASK_PADDING = 10  # bpmn-js keeps 5px clear on either side of a task's name
DEFAULT_LABEL_WIDTH = 90  # bpmn-js's width for a label the diagram gives no bounds


def too_narrow(path: Path) -> list[str]:
    label_font, task_font = (ImageFont.truetype(str(DEJAVU), size) for size in (LABEL_PX, TASK_PX))
    root = ET.parse(path).getroot()
    elements = {e.get("id"): e for e in root.iter() if e.get("name")}
    found = []
    for di in root.iter():
        element = elements.get(di.get("bpmnElement"))
        kind = element.tag.rsplit("}", 1)[1] if element is not None else ""
        if not kind or kind in ("participant", "lane", "process"):
            continue
        if kind.endswith("Task") or kind in ("task", "subProcess", "callActivity"):
            font, width = task_font, float(di.find("dc:Bounds", NS).get("width")) - TASK_PADDING
        else:
            bounds = di.find("bpmndi:BPMNLabel/dc:Bounds", NS)
            font, width = label_font, DEFAULT_LABEL_WIDTH if bounds is None else float(bounds.get("width"))
        for word in element.get("name").split():
            if font.getlength(word) > width:
                found.append(f"{element.get('id')}: {word!r} needs {font.getlength(word):.0f}px, has {width:.0f}")
    return found


@pytest.mark.skipif(not DEJAVU.exists(), reason="no DejaVu Sans (`make fonts`)")
@pytest.mark.parametrize("name", DIAGRAMS)
def test_no_label_breaks_a_word(name):
    assert too_narrow(BPMN / f"{name}.bpmn") == []
