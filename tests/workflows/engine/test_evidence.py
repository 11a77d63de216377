"""Evidence at the root: a stored file's name keeps no control characters or
path parts whoever calls `store_upload`, and only http(s) links are kept."""

from __future__ import annotations

from io import BytesIO

import pytest

from tests.factories import make_manager, make_takedown, make_user
from workflows.demo import DEMO_PNG
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import is_web_link, safe_filename, store_upload, url_evidence


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("screenshot.png", "screenshot.png"),
        ("Ellie’s post — 2 March.png", "Ellie’s post — 2 March.png"),
        ("shot\r\n.png", "shot.png"),
        ("a\tb\x7f\x85.png", "ab.png"),
        ("C:\\Users\\mark\\Desktop\\shot.png", "shot.png"),
        ("/etc/../passwd.png", "passwd.png"),
        ("..", "upload"),
        ("", "upload"),
        (None, "upload"),
        (".png", "upload.png"),
        ("x\u2028y\u200b.png", "xy.png"),
        ("a" * 300 + ".png", "a" * 251 + ".png"),
    ],
)
def test_a_file_name_is_cleaned_where_it_is_stored(given, kept):
    assert safe_filename(given) == kept


def test_store_upload_keeps_the_cleaned_name(ctx, db):
    user = make_manager(db)
    item = store_upload(ctx.settings, BytesIO(DEMO_PNG), "..\\..\\evil\r\n.png", user)
    assert item.filename == "evil.png"


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("https://facebook.com/posts/1", True),
        ("HTTP://Example.org/a?b=c#d", True),
        ("https://medium.com/@someone/post", True),
        ("javascript:alert(1)", False),
        ("javascript://example.com/%0Aalert(1)", False),
        ("data:text/html,hi", False),
        ("https://", False),
        (" https://example.org", False),
        ("https://example.org/a b", False),
        ("https://user@evil.example/", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_links_are_web_links(link, ok):
    assert is_web_link(link) is ok


def test_a_link_that_is_not_a_web_link_is_never_kept_as_evidence(db):
    with pytest.raises(InvalidInput, match="web link"):
        url_evidence("javascript:alert(1)", make_manager(db))


def test_a_takedown_refuses_links_that_are_not_web_links(ctx, db):
    with pytest.raises(InvalidInput, match="Not a web link: javascript:alert"):
        make_takedown(ctx, make_manager(db), make_user(db), urls=["https://ok.example/1", "javascript:alert(1)"])
