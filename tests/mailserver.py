"""A real SMTP server for tests: aiosmtpd in a thread of the test process,
keeping what it accepted. It can be told to stall, as a slow or hung
server does, to catch a sender in the middle of a batch."""

from __future__ import annotations

import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox(Message):
    """Every message accepted, in order. `stall_at(n)`: the n-th message is
    kept (the server has it) but its reply does not come until `release()`,
    so a sender killed meanwhile never learns it was delivered."""

    def __init__(self):
        super().__init__()
        self.messages = []
        self.refuse: set[str] = set()  # recipients answered 550
        self._stall_at: int | None = None
        self.stalled = threading.Event()
        self._release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def handle_message(self, message):
        self.messages.append(message)
        if len(self.messages) == self._stall_at:
            self.stalled.set()
            self._release.wait(30)  # blocks this server's loop: nothing else is answered either

    def stall_at(self, count: int) -> None:
        self._stall_at = count
        self.stalled.clear()
        self._release.clear()

    def release(self) -> None:
        self._stall_at = None
        self._release.set()

    def message_ids(self) -> Counter:
        return Counter(m["Message-ID"] for m in self.messages)


class MailServer:
    def __init__(self):
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.inbox.release()
        self.controller.stop()
