"""Hostile input for the fuzz test (test_fuzz.py): text with NUL and control
characters, huge integers, any Unicode, very long strings, undecodable bytes,
and a multipart encoder that sends any of it, file names included, as a
client can (a name goes as RFC 2231 `filename*=`, so CR/LF and NUL arrive)."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st

SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "line\rbreak\nhere",
    "\t",
    "\x1b[31m",
    "\x7f",
    "\u202egnp.exe",
    "\u2028",
    "\ufeff",
    "💥👩🏽‍⚖️",
    "Zoë Ørsted-Łukasz",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "' OR 1=1 --",
    "%00",
    "../../../etc/passwd",
    "C:\\Windows\\win.ini",
    "NaN",
    "inf",
    "-1",
    "0",
    "1e309",
    "2026-02-30",
    "9999-12-31T23:59",
]
BOUNDARY = "fuzzBOUNDARY7e3c0b2a9f"
PNG = bytes.fromhex(  # a 1x1 PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)

controls = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=4)
huge_numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**30]),
).map(str)
long_text = st.builds(lambda char, n: char * n, st.characters(), st.integers(min_value=250, max_value=12_000))
text_values = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=8), controls, st.text(max_size=8)),
    huge_numbers,
    long_text,
)
form_values = st.one_of(text_values, st.binary(max_size=24))  # bytes: not always UTF-8
path_values = st.one_of(text_values, huge_numbers, st.integers(min_value=0, max_value=10**30).map(str))
file_contents = st.one_of(  # a real type first, so a hostile name is what is judged
    st.sampled_from([b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP"]).map(
        lambda head: head + b"\x00" * 20
    ),
    st.binary(max_size=64),
)


POISON = st.sampled_from(["\x00", "\r\n", "\x1b", "\x0b", "\u202e", "9" * 40, "x" * 5000])


def file_names() -> st.SearchStrategy:
    """Poison in a name the type check accepts first (a PNG called `x\r\n.png`), then anything."""
    extensions = st.sampled_from([".png", ".pdf", ".gif", ".webp"])
    around = st.text(max_size=6)
    poison = st.sampled_from(["\r\n", "\x00", "/../", "\\", "\u202e", "\x1b", "x" * 300])  # a header's enemies first
    poisoned = st.builds(lambda a, p, b, ext: a + p + b + ext, around, poison, around, extensions)
    return st.one_of(poisoned, text_values)


def choice_values(valid: list[str]) -> st.SearchStrategy:
    """A valid answer, a valid one with poison in it, or anything at all:
    most of a form passes, so one hostile field reaches the operation."""
    base = st.sampled_from(valid) if valid else st.text(max_size=12)
    # Poisoned first: hypothesis starts from (and shrinks towards) the first choices.
    return st.one_of(st.builds(lambda v, p: v + p, base, POISON), form_values, base)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """`fields`: name -> value or list of values (str or bytes); `files`:
    name -> (file name, bytes)."""
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
            head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            parts.append(head + raw + b"\r\n")
    for name, (filename, content) in files.items():
        encoded = quote(filename.encode("utf-8", "surrogatepass"), safe="")
        head = (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename*=UTF-8''{encoded}\r\n"
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        parts.append(head + content + b"\r\n")
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"


def path_part(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")
