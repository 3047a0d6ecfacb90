"""Drafts waiting under a prompt: each prompt message owns its own draft.

A prompt ("which client?", "create «X»?") keeps what the manager typed in FSM data under the
prompt's message id, so a tap under an older prompt acts on that prompt's text even after newer
prompts were sent; only the last few prompts are kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.context import Ctx
from handlers.callbacks import ClientCb

PROMPTS = "prompts"  # FSM data key: a list of [message id, draft], oldest first
KEEP = 10  # prompts older than the last ten are forgotten (their buttons say "outdated")

# Saves what waited in a dialog for the client now known (picked, created or typed).
Saver = Callable[[Ctx, int, dict[str, Any]], Awaitable[None]]


def _prompts(data: dict[str, Any]) -> list[list[Any]]:
    # A list, not a dict keyed by id: the order must survive any storage's JSON.
    raw = data.get(PROMPTS)
    return [p for p in raw if isinstance(p, list) and len(p) == 2] if isinstance(raw, list) else []


async def remember(state: FSMContext, message_id: int, draft: dict[str, Any]) -> None:
    """Keeps `draft` as the draft of the prompt message `message_id`."""
    prompts = [p for p in _prompts(await state.get_data()) if p[0] != message_id]
    prompts.append([message_id, draft])
    await state.update_data({PROMPTS: prompts[-KEEP:]})


async def recall(state: FSMContext, message_id: int | None) -> dict[str, Any] | None:
    """The draft of the prompt `message_id`, if it is still waiting."""
    if message_id is None:
        return None
    for mid, draft in _prompts(await state.get_data()):
        if mid == message_id and isinstance(draft, dict):
            return draft
    return None


async def forget(state: FSMContext, message_id: int | None) -> None:
    """The prompt was answered: its buttons are outdated now (a second tap saves nothing)."""
    prompts = _prompts(await state.get_data())
    kept = [p for p in prompts if p[0] != message_id]
    if len(kept) != len(prompts):
        await state.update_data({PROMPTS: kept})


def prompt_of(query: CallbackQuery) -> int | None:
    return query.message.message_id if query.message is not None else None


async def save_for_picked_client(
    query: CallbackQuery, client_id: int, ctx: Ctx, *, key: str, save: Saver
) -> None:
    prompt = prompt_of(query)
    own = await recall(ctx.state, prompt)
    # Dialogs that still keep one draft under `key` in FSM data (not per prompt) fall back to it.
    data = own.get(key) if own is not None else (await ctx.state.get_data()).get(key)
    if not isinstance(data, dict):
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    await save(ctx, client_id, data)  # a forged or deleted client: handlers/errors.py answers
    if own is not None:
        await forget(ctx.state, prompt)
    await query.answer()


def pick_handler(key: str, save: Saver) -> Callable[..., Awaitable[None]]:
    """The callback handler for "this client" under a waiting draft stored under `key`."""

    async def on_pick(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
        await save_for_picked_client(query, callback_data.id, ctx, key=key, save=save)

    return on_pick
