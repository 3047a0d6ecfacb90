"""PostgreSQL restarting, as a TCP proxy on loopback plays it for the processes behind it.

The machine's PostgreSQL is shared and cannot be restarted by a test, so the bot's processes
reach it through this proxy instead, which goes through a restart's phases on demand:

- ``down()``: every live connection is closed at once, both ways (the backends died), and the
  listening socket is closed: a new connection is refused, as while no postmaster runs.
- ``starting()``: connections are accepted again but answered like a postmaster in recovery:
  ``FATAL 57P03 the database system is starting up``, then closed.
- ``up()``: connections are passed through to the real server again.

The proxy answers a client's SSL (and GSS) request with "no" itself, so the conversation stays
plain and the server's ReadyForQuery messages can be read: a connection cut while a statement
was on its way or a transaction open is counted as busy, the cut that matters.

It runs its own event loop in a thread, so the test's synchronous code and its other event
loops can both call it."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from sqlalchemy.engine import make_url

Mode = Literal["up", "starting", "down"]
T = TypeVar("T")
SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
STARTING_UP = "the database system is starting up"


def _error_response(code: str, message: str) -> bytes:
    fields = b"".join(
        kind + value.encode() + b"\0"
        for kind, value in ((b"S", "FATAL"), (b"V", "FATAL"), (b"C", code), (b"M", message))
    )
    body = fields + b"\0"
    return b"E" + (len(body) + 4).to_bytes(4, "big") + body


@dataclass(eq=False)  # one link is one connection: hashed by identity
class _Link:
    """One client's connection through the proxy, and what its server last said."""

    client: asyncio.StreamWriter
    server: asyncio.StreamWriter | None = None
    status: bytes = b""  # the last ReadyForQuery's transaction status: I, T or E ("" before)
    waiting: bool = False  # the client sent something the server has not answered with Z yet
    _buffer: bytearray = field(default_factory=bytearray)

    @property
    def busy(self) -> bool:
        return self.waiting or self.status in (b"T", b"E")

    def server_said(self, data: bytes) -> None:
        """Reads the server's messages (type, int32 length, body) for its ReadyForQuery."""
        self._buffer += data
        while len(self._buffer) >= 5:
            length = int.from_bytes(self._buffer[1:5], "big")
            if len(self._buffer) < 1 + length:
                return
            if self._buffer[0:1] == b"Z":
                self.status, self.waiting = bytes(self._buffer[5:6]), False
            del self._buffer[: 1 + length]

    def client_said(self, data: bytes) -> None:
        if self.status and data[:1] != b"X":  # past the start-up, and not a goodbye
            self.waiting = True  # a statement or a sync is on its way

    def close(self) -> None:
        for writer in (self.client, self.server):
            if writer is not None:
                writer.transport.abort()


@dataclass(frozen=True)
class Cut:
    """What one ``down()`` closed."""

    connections: int
    busy: int


class PgProxy:
    """``with PgProxy(database_url) as proxy:`` ``proxy.url`` is the database behind it."""

    def __init__(self, database_url: str) -> None:
        self._target = make_url(database_url)
        self.upstream = (self._target.host or "127.0.0.1", self._target.port or 5432)
        self.port = 0
        self.mode: Mode = "down"
        self.refused_while_starting = 0
        self._links: set[_Link] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._server: asyncio.Server | None = None
        self._work = asyncio.Event()  # set when a statement goes out or a transaction is open
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return self._target.set(host="127.0.0.1", port=self.port).render_as_string(
            hide_password=False
        )

    def __enter__(self) -> PgProxy:
        self._thread.start()
        self.up()
        return self

    def __exit__(self, *_: object) -> None:
        self.down()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def _call(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(30)

    def up(self) -> None:
        self._call(self._listen("up"))

    def starting(self) -> None:
        self._call(self._listen("starting"))

    def down(self, busy_within: float = 0.0) -> Cut:
        """Cuts everything; with ``busy_within``, at the first moment within so many seconds
        that a connection has a statement on its way or a transaction open (a cut between
        two short transactions proves little), or when they are over."""
        return self._call(self._down(busy_within))

    async def _listen(self, mode: Mode) -> None:
        self.mode = mode
        if self._server is None:
            # The same port every time (SO_REUSEADDR: the cut connections' TIME_WAIT is no bar).
            self._server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True
            )
            self.port = int(self._server.sockets[0].getsockname()[1])

    async def _down(self, busy_within: float) -> Cut:
        if busy_within > 0 and not any(link.busy for link in self._links):
            self._work.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._work.wait(), busy_within)
        self.mode = "down"
        if self._server is not None:
            self._server.close()  # refused from now on
            self._server = None
        cut = Cut(len(self._links), sum(link.busy for link in self._links))
        for link in list(self._links):
            link.close()
        # Not cancelled: with their sockets closed they end on their own (asyncio's stream
        # server logs a handler task that ends cancelled as an error).
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=10)
        return cut

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        link = _Link(writer)
        self._links.add(link)
        # A link ends when either side goes away: that is the proxy's normal end, not a failure.
        try:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                opening = await self._past_encryption_requests(reader, writer)
                if self.mode == "starting":
                    await self._refuse_starting(reader, writer, opening)
                elif self.mode == "up":
                    await self._pass_through(link, reader, opening)
        finally:
            self._links.discard(link)
            self._tasks.discard(task)
            link.close()

    @staticmethod
    async def _past_encryption_requests(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bytes:
        """Answers SSL and GSS requests "no"; the first 8 bytes of the startup message."""
        while True:
            head = await reader.readexactly(8)
            length, code = int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")
            if length != 8 or code not in (SSL_REQUEST, GSSENC_REQUEST):
                return head
            writer.write(b"N")
            await writer.drain()

    async def _refuse_starting(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, opening: bytes
    ) -> None:
        await reader.readexactly(int.from_bytes(opening[:4], "big") - len(opening))
        self.refused_while_starting += 1
        writer.write(_error_response("57P03", STARTING_UP))
        await writer.drain()

    async def _pass_through(
        self, link: _Link, reader: asyncio.StreamReader, opening: bytes
    ) -> None:
        server_reader, link.server = await asyncio.open_connection(*self.upstream)
        link.server.write(opening)

        async def client_to_server() -> None:
            assert link.server is not None
            while data := await reader.read(65536):
                link.client_said(data)
                if link.busy:
                    self._work.set()
                link.server.write(data)
                await link.server.drain()

        async def server_to_client() -> None:
            while data := await server_reader.read(65536):
                link.server_said(data)
                link.client.write(data)
                await link.client.drain()

        pipes = [asyncio.create_task(client_to_server()), asyncio.create_task(server_to_client())]
        try:
            # Either side ending ends both: a client gone closes its backend, and the other way.
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pipe in pipes:
                pipe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*pipes, return_exceptions=True)
