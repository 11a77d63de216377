"""Files no record refers to (a refused upload, a crash mid-upload) are
removed once they are an hour old; recorded evidence and letters stay."""

from __future__ import annotations

import os
from datetime import timedelta
from io import BytesIO

from tests.factories import make_manager, make_takedown, make_user
from workflows.demo import DEMO_PNG
from workflows.engine import clock
from workflows.engine.evidence import evidence_path, store_upload, sweep_unreferenced


def age(path, hours: float) -> None:
    moment = (clock.now() - timedelta(hours=hours)).timestamp()
    os.utime(path, (moment, moment))


def test_only_unreferenced_files_older_than_an_hour_are_swept(ctx, db, settings):
    manager = make_manager(db)
    kept = store_upload(settings, BytesIO(DEMO_PNG), "post.png", manager)
    make_takedown(ctx, manager, make_user(db), evidence=[kept])
    orphan = store_upload(settings, BytesIO(DEMO_PNG + b"x"), "refused.png", manager)  # its request failed
    recent = store_upload(settings, BytesIO(DEMO_PNG + b"y"), "in-flight.png", manager)
    for item, hours in ((kept, 5), (orphan, 2), (recent, 0.5)):
        age(evidence_path(settings, item.sha256), hours)
    assert sweep_unreferenced(db, settings) == 1
    assert not evidence_path(settings, orphan.sha256).exists()
    assert evidence_path(settings, kept.sha256).exists() and evidence_path(settings, recent.sha256).exists()
