"""Other people's personal data, redacted consistently: each other person
(a name, either half of it, an email address) becomes "Person A", "Person
B"... in order of first appearance, the same letter wherever they appear.
HR may leave a person unredacted (by their letter) and redact more words;
the key from letters to people is for HR and never leaves with the release."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise

from sqlalchemy import select

from models import User

from .holdings import Document

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED = "[redacted]"
MIN_NAME_PART = 3  # shorter halves of names ("Al", "Li") would redact ordinary words


@dataclass(frozen=True)
class Adjustments:
    """HR's changes: letters to show in the clear, and more words to redact."""

    unredact: frozenset[str] = frozenset()  # "Person B"
    redact_also: tuple[str, ...] = ()


@dataclass
class Redacted:
    documents: list[Document]
    key: dict[str, str] = field(default_factory=dict)  # "Person A" -> "Mark Taylor <mark@...>"


def token(index: int) -> str:
    """Person A ... Person Z, then Person AA, Person AB..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Person {letters}"


def redact(db, person: User, documents: list[Document], adjustments: Adjustments = Adjustments()) -> Redacted:
    people = _others(db, person)
    by_word = _words(people, person)
    longest = max((len(name.split()) for name in by_word), default=0)
    starts = _starts(by_word)
    tokens: dict[str, str] = {}  # a person ("user:12", "email:x@y") -> their letter
    key: dict[str, str] = {}

    def token_for(who: str, described: str, matched: str) -> str:
        if who not in tokens:
            tokens[who] = token(len(tokens))
            key[tokens[who]] = described
        # Left in the clear by HR: the words as written, and the letter still taken (the others keep theirs).
        return matched if tokens[who] in adjustments.unredact else tokens[who]

    def by_name(name: str, user: User) -> str:
        return token_for(f"user:{user.id}", f"{user.name} <{user.email}>", name)

    def by_email(match: re.Match) -> str:
        address = match.group(0)
        if address.lower() == person.email.lower():
            return address
        user = people.get(address.lower())
        if user is not None:
            return token_for(f"user:{user.id}", f"{user.name} <{user.email}>", address)
        return token_for(f"email:{address.lower()}", address, address)

    def one(text: str) -> str:
        for phrase in adjustments.redact_also:
            text = re.sub(re.escape(phrase), REDACTED, text, flags=re.IGNORECASE)
        text = EMAIL.sub(by_email, text)
        return _names_replaced(text, by_word, starts, longest, by_name)

    redacted = [replace(doc, title=one(doc.title), text=one(doc.text)) for doc in documents]
    return Redacted(redacted, key)


def _others(db, person: User) -> dict[str, User]:
    """Everyone else in the system, by email."""
    return {u.email.lower(): u for u in db.scalars(select(User).where(User.id != person.id))}


def _words(people: dict[str, User], person: User) -> dict[str, User]:
    """Each other person's full name and its halves, less any the person shares (their own name stays)."""
    own = {w.lower() for w in person.name.split()} | {" ".join(person.name.split()).lower()}
    found: dict[str, User] = {}
    for user in people.values():
        parts = [" ".join(user.name.split()), *user.name.split()]
        for part in parts:
            word = part.lower()
            if len(word) >= MIN_NAME_PART and word not in own:
                found.setdefault(word, user)
    return found


WORD = re.compile(r"\w+(?:-\w+)*")  # "Mary-Jane" is one word; "Tom's" is Tom, then 's


def _names_replaced(text: str, by_word: dict[str, User], starts: frozenset[str], longest: int, replace_name) -> str:
    """Each other person's name in `text`, the longest first ("Mark Taylor" before
    "Mark"), found word by word: one pass, however many people are on record."""
    words = list(WORD.finditer(text))
    lowered = [w.group(0).lower() for w in words]
    out, at, i = [], 0, 0
    while i < len(words):
        size = _name_at(text, words, lowered, i, by_word, longest) if lowered[i] in starts else 0
        if size:
            start, end = words[i].start(), words[i + size - 1].end()
            out += [text[at:start], replace_name(text[start:end], by_word[" ".join(lowered[i : i + size])])]
            at = end
        i += size or 1
    return "".join(out) + text[at:]


def _name_at(text, words, lowered, i, by_word, longest) -> int:
    """How many words from `i` make someone's name (the longest), or 0."""
    for size in range(min(longest, len(words) - i), 0, -1):
        run = words[i : i + size]
        if all(text[a.end() : b.start()] == " " for a, b in pairwise(run)) and (
            " ".join(lowered[i : i + size]) in by_word
        ):
            return size
    return 0


def _starts(by_word: dict[str, User]) -> frozenset[str]:
    return frozenset(name.split(" ", 1)[0] for name in by_word)
