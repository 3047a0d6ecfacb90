"""One chat's updates one at a time, in arrival order; different chats side by side.

`ChatOrder.reserve(key)` takes a place in the chat's line *synchronously* (no await), so the
order is the order of the calls: the poller reserves in update_id order before it starts the
update's task, and the middleware reserves as soon as an update enters the dispatcher (webhook
mode: each request is its own task). A place is a future that the previous holder resolves when
it is done; a chat's entry is dropped when its last holder is done, so memory follows the chats
busy right now, not every chat ever seen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.types import TelegramObject, Update

# Set in the workflow data by the poller: it has already put the update in its chat's line.
ORDERED = "chat_ordered"


def chat_key(update: Update) -> int | None:
    """The chat an update belongs to; the user when there is no chat (an inline query, a button
    under an inline message); None for updates with neither (they need no order)."""
    context = UserContextMiddleware.resolve_event_context(update)
    if context.chat is not None:
        return context.chat.id
    if context.user is not None:
        return context.user.id  # a user's private chat has the user's id
    return None


class Turn:
    """A place in one chat's line; `async with` waits for it and gives it up at the end."""

    __slots__ = ("_key", "_mine", "_order", "_previous")

    def __init__(
        self,
        order: ChatOrder,
        key: int,
        previous: asyncio.Future[None] | None,
        mine: asyncio.Future[None],
    ) -> None:
        self._order = order
        self._key = key
        self._previous = previous
        self._mine = mine

    async def __aenter__(self) -> None:
        previous = self._previous
        if previous is None or previous.done():
            return
        try:
            # Shielded: a cancelled waiter must not cancel the holder's future.
            await asyncio.shield(previous)
        except asyncio.CancelledError:
            # Cancelled while waiting: the ones behind still wait for the one ahead.
            previous.add_done_callback(lambda _: self._release())
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._release()

    def _release(self) -> None:
        if not self._mine.done():
            self._mine.set_result(None)
        self._order._forget(self._key, self._mine)


class ChatOrder:
    def __init__(self) -> None:
        self._tails: dict[int, asyncio.Future[None]] = {}

    def reserve(self, key: int) -> Turn:
        """The next place in `key`'s line; call it in the order the updates must run."""
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        previous = self._tails.get(key)
        self._tails[key] = mine
        return Turn(self, key, previous, mine)

    def _forget(self, key: int, mine: asyncio.Future[None]) -> None:
        if self._tails.get(key) is mine:  # nobody queued behind: the chat is idle
            del self._tails[key]

    def __len__(self) -> int:
        """Chats with an update running or waiting."""
        return len(self._tails)


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ChatOrderMiddleware(BaseMiddleware):
    """Per-chat order for updates that arrive as concurrent tasks (webhook mode).

    Register it right after the error boundary: the boundary counts the update as in flight
    while it waits for its turn (shutdown waits for it), and nothing awaits before the
    reservation, so updates queue in the order they reach the dispatcher. Updates from the
    poller are already in line (data[ORDERED]) and pass straight through.
    """

    def __init__(self, order: ChatOrder | None = None) -> None:
        self.order = order or ChatOrder()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if data.get(ORDERED) or not isinstance(event, Update):
            return await handler(event, data)
        key = chat_key(event)
        if key is None:
            return await handler(event, data)
        async with self.order.reserve(key):
            return await handler(event, data)
