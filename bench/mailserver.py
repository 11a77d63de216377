"""A local SMTP server for the outbox figure: aiosmtpd in a process of its
own (so its CPU is not the senders'), counting deliveries by Message-ID."""

from __future__ import annotations

import multiprocessing
import queue
import re
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.MULTILINE | re.IGNORECASE)


class Counting:
    """Accepts every message; parses nothing but its Message-ID header."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.original_content or b"")
        with self.lock:
            self.counts[found.group(1).decode() if found else None] += 1
        return "250 OK"

    def take(self) -> Counter:
        with self.lock:
            counts, self.counts = self.counts, Counter()
        return counts


class Server:
    def __init__(self, port: int, commands, replies):
        self.port, self._commands, self._replies = port, commands, replies

    def take_counts(self) -> Counter:
        """Deliveries by Message-ID since the last call."""
        self._commands.put("take")
        return self._replies.get(timeout=60)


def serve(port: int, commands, replies) -> None:
    from aiosmtpd.controller import Controller

    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    replies.put("ready")
    while (command := commands.get()) != "stop":
        replies.put(handler.take() if command == "take" else None)
    controller.stop()


@contextmanager
def running() -> Iterator[Server]:
    mp = multiprocessing.get_context("spawn")
    commands, replies, port = mp.Queue(), mp.Queue(), free_port()
    process = mp.Process(target=serve, args=(port, commands, replies), daemon=True)
    process.start()
    try:
        replies.get(timeout=60)
    except queue.Empty:
        raise RuntimeError("the SMTP server did not start") from None
    try:
        yield Server(port, commands, replies)
    finally:
        commands.put("stop")
        process.join(30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
