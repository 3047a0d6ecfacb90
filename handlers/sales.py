"""/sale: a sale in one message, saved first, then fixable (amount, product, date, client)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import plans as plan_service
from bot.services import sales as sale_service
from bot.services.amounts import AmountError, parse_amount
from bot.services.clients import ClientNotFound
from bot.services.clock import Clock
from bot.services.date_order import month_first
from bot.services.dates import DateProblem, parse_when
from bot.services.sales import ClientArchived, NewSale, Recorded, SaleNotFound, SaleProblem
from handlers import sale_views as views
from handlers.callbacks import SaleCb
from handlers.drafts import forget, recall, remember
from handlers.replies import edit_or_send
from storage.enums import PeriodKind
from storage.models import Manager

NOT_A_COMMAND = ~F.text.startswith("/")
DRAFT = "sale_draft"


class SaleInput(StatesGroup):
    amount = State()  # data: sale_id
    line = State()
    date = State()
    client = State()


def amount_error_text(t: Translator, exc: AmountError, what: str = "sale") -> str:
    # `what`: a negative plan is not a sale to undo, so the hint differs ("plan" / "sale").
    return t(f"amount-error-{exc.kind.value}", text=exc.text[:60], what=what)


async def show_sale(
    bot: Bot,
    chat_id: int,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    found: Recorded,
    clock: Clock,
    message_id: int | None = None,
    *,
    restored: bool = False,
) -> None:
    now = clock.now()
    month = await plan_service.progress(session, manager, PeriodKind.MONTH, now)
    text = views.sale_text(t, found.sale, found.client, manager, now, month, restored=restored)
    await edit_or_send(bot, chat_id, message_id, text, views.sale_kb(t, found.sale.id))


# --- a new sale ----------------------------------------------------------------------------
def _draft(new: NewSale, query: str) -> dict[str, Any]:
    sold_at = new.sold_at.isoformat() if new.sold_at is not None else None
    return {"query": query, "amount": new.amount_minor, "line": new.product_line, "at": sold_at}


def _from_draft(data: dict[str, Any]) -> NewSale:
    at = data.get("at")
    return NewSale(
        amount_minor=int(data["amount"]),
        product_line=data.get("line"),
        sold_at=datetime.fromisoformat(at) if isinstance(at, str) else None,
    )


async def _ask_restore(
    bot: Bot, chat_id: int, t: Translator, manager: Manager, state: FSMContext,
    client_id: int, name: str, draft: dict[str, Any],
) -> None:  # fmt: skip
    amount = views.money(manager, int(draft["amount"]))
    sent = await bot.send_message(
        chat_id,
        t("sale-archived", name=name, amount=amount),
        reply_markup=views.restore_kb(t, client_id),
    )
    await remember(state, sent.message_id, {DRAFT: draft})


async def _save(
    bot: Bot,
    chat_id: int,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
    client_id: int,
    draft: dict[str, Any],
    *,
    restore: bool = False,
    message_id: int | None = None,
) -> None:
    try:
        found = await sale_service.record(
            session, manager, client_id, _from_draft(draft), clock.now(), restore=restore
        )
    except ClientArchived as exc:
        await _ask_restore(bot, chat_id, t, manager, state, exc.client.id, exc.client.name, draft)
        return
    await state.update_data({DRAFT: None})
    await show_sale(bot, chat_id, t, session, manager, found, clock, message_id, restored=restore)


async def on_sale(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    if await state.get_state() in SaleInput.__all_states_names__:
        await state.set_state(None)  # a new sale abandons a fix that was waiting for text
    text = (command.args or "").strip()
    if not text:
        await message.answer(t("sale-usage"))
        return
    try:
        understood = await sale_service.understand(session, manager, text, clock.now())
    except AmountError as exc:
        await message.answer(amount_error_text(t, exc))
        return
    except (SaleProblem, DateProblem) as exc:
        args = exc.args_ if isinstance(exc, SaleProblem) else {"date": exc.text}
        key = exc.key if isinstance(exc, SaleProblem) else "sale-date-invalid"
        await message.answer(t(key, **args))
        return
    draft = _draft(understood.sale, understood.query)
    if understood.client is not None:
        await _save(
            bot, message.chat.id, t, session, manager, state, clock, understood.client.id, draft
        )
        return
    amount = views.money(manager, understood.sale.amount_minor)
    query = understood.query[:100]
    if understood.lookup.kind == "ambiguous":
        markup = views.draft_clients_kb(t, understood.lookup.matches, offer_create=True)
        text = t("sale-which-client", query=query, amount=amount)
    else:
        markup = views.draft_clients_kb(t, [], offer_create=True)
        text = t("sale-client-not-found", query=query, amount=amount)
    sent = await message.answer(text, reply_markup=markup)
    # The prompt owns its draft: a newer prompt must not replace what this one will save.
    await remember(state, sent.message_id, {DRAFT: draft})


async def _on_draft_action(
    query: CallbackQuery,
    cb: SaleCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    draft = ((await recall(state, message_id)) or {}).get(DRAFT)
    if not isinstance(draft, dict):
        await query.answer(t("sale-draft-gone"), show_alert=True)
        return
    if cb.action == "cancel":
        await forget(state, message_id)
        await query.answer()
        await edit_or_send(bot, chat_id, message_id, t("sale-cancelled"))
        return
    try:
        if cb.action == "new":
            found = await sale_service.create_client_and_record(
                session, manager, str(draft["query"]), _from_draft(draft), clock.now()
            )
            await forget(state, message_id)
            await query.answer(t("client-created-toast"))
            await show_sale(bot, chat_id, t, session, manager, found, clock, message_id)
            return
        await _save(
            bot, chat_id, t, session, manager, state, clock, cb.id, draft,
            restore=cb.action == "rst", message_id=message_id,
        )  # fmt: skip
        await forget(state, message_id)  # answered (a restore question has a draft of its own)
        await query.answer()
    except ClientNotFound:
        await query.answer(t("client-not-found"), show_alert=True)
    except ClientArchived as exc:
        await query.answer()
        await _ask_restore(bot, chat_id, t, manager, state, exc.client.id, exc.client.name, draft)
    except client_service.ClientProblem as exc:
        await query.answer(t(exc.key), show_alert=True)


# --- fixing a saved sale -------------------------------------------------------------------
_ASK = {
    "amt": (SaleInput.amount, "sale-ask-amount"),
    "line": (SaleInput.line, "sale-ask-line"),
    "cli": (SaleInput.client, "sale-ask-client"),
}


async def on_sale_action(
    query: CallbackQuery,
    callback_data: SaleCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    cb = callback_data
    if cb.action in ("pick", "new", "rst", "cancel"):
        await _on_draft_action(query, cb, bot, t, session, manager, state, clock)
        return
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    now = clock.now()
    try:
        if cb.action == "undo":
            gone = await sale_service.delete(session, manager, cb.id, now)
            await query.answer()
            text = f"{gone.client.name}, {views.money(manager, gone.sale.amount_minor)}"
            await edit_or_send(bot, chat_id, message_id, t("sale-undone", text=text))
        elif cb.action in _ASK:
            await sale_service.get(session, manager, cb.id)  # ownership first
            wanted, key = _ASK[cb.action]
            await state.set_state(wanted)
            await state.update_data(sale_id=cb.id)
            await query.answer()
            await bot.send_message(chat_id, t(key))
        elif cb.action == "date":
            await sale_service.get(session, manager, cb.id)
            await state.set_state(SaleInput.date)
            await state.update_data(sale_id=cb.id)
            await query.answer()
            await bot.send_message(
                chat_id, t("sale-ask-date"), reply_markup=views.date_kb(t, cb.id)
            )
        elif cb.action == "d":
            days = min(max(int(cb.value or 0), 0), 2)
            day = now.astimezone(ZoneInfo(manager.timezone)) - timedelta(days=days)
            sold_at = now if days == 0 else day.replace(hour=12, minute=0, second=0, microsecond=0)
            found = await sale_service.set_date(session, manager, cb.id, sold_at, now)
            await state.set_state(None)
            await query.answer(t("saved-toast"))
            await show_sale(bot, chat_id, t, session, manager, found, clock, message_id)
        elif cb.action == "mv":
            found = await sale_service.move(session, manager, cb.id, int(cb.value or 0), now)
            await state.set_state(None)
            await query.answer(t("saved-toast"))
            await show_sale(bot, chat_id, t, session, manager, found, clock, message_id)
        else:
            await query.answer(t("callback-outdated"), show_alert=True)
    except (SaleNotFound, ClientNotFound, ValueError):
        await query.answer(t("sale-not-found"), show_alert=True)
    except ClientArchived as exc:
        await query.answer()
        await bot.send_message(chat_id, t("sale-move-archived", name=exc.client.name))


async def _sale_id(state: FSMContext) -> int:
    return int((await state.get_data()).get("sale_id", 0))


async def _apply_fix(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
    change: Callable[[int], Awaitable[Recorded]],
) -> None:
    """Runs one typed fix on the sale being fixed; the sale may be gone (undone meanwhile)."""
    try:
        found = await change(await _sale_id(state))
    except (SaleNotFound, ClientNotFound):
        await state.set_state(None)
        await message.answer(t("sale-not-found"))
        return
    await state.set_state(None)
    await show_sale(bot, message.chat.id, t, session, manager, found, clock)


async def on_amount_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    try:
        minor = sale_service.amount_for(manager, parse_amount(message.text))
    except AmountError as exc:
        await message.answer(amount_error_text(t, exc))  # still waiting for a good amount
        return
    except SaleProblem as exc:
        await message.answer(t(exc.key, **exc.args_))
        return
    await _apply_fix(
        message,
        bot,
        t,
        session,
        manager,
        state,
        clock,
        lambda sale_id: sale_service.set_amount(session, manager, sale_id, minor),
    )


async def on_line_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    raw = None if message.text.strip() in {"-", "—", "–"} else message.text
    await _apply_fix(
        message,
        bot,
        t,
        session,
        manager,
        state,
        clock,
        lambda sale_id: sale_service.set_line(session, manager, sale_id, raw),
    )


async def on_date_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    now = clock.now()
    try:
        order = month_first(manager.language, manager.timezone)  # a US user's "12/03"
        when = parse_when(message.text, now, manager.timezone, future=False, month_first=order)
        if when is None:
            await message.answer(t("sale-date-not-understood"))
            return
        sold_at = sale_service.sale_moment(when, manager, now)
    except DateProblem as exc:
        await message.answer(t("sale-date-invalid", date=exc.text[:40]))
        return
    except SaleProblem as exc:
        await message.answer(t(exc.key, **exc.args_))
        return
    await _apply_fix(
        message,
        bot,
        t,
        session,
        manager,
        state,
        clock,
        lambda sale_id: sale_service.set_date(session, manager, sale_id, sold_at, now),
    )


async def on_client_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    sale_id = await _sale_id(state)
    result = await client_service.lookup(session, manager, message.text)
    if result.kind not in ("exact", "confident") or result.best is None:
        await message.answer(
            t("sale-client-choose"), reply_markup=views.move_kb(sale_id, result.matches)
        )
        return
    try:
        found = await sale_service.move(session, manager, sale_id, result.best.id, clock.now())
    except (SaleNotFound, ClientNotFound):
        await state.set_state(None)
        await message.answer(t("sale-not-found"))
        return
    except ClientArchived as exc:
        await message.answer(t("sale-move-archived", name=exc.client.name))
        return
    await state.set_state(None)
    await show_sale(bot, message.chat.id, t, session, manager, found, clock)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_sale, Command("sale"))
    router.callback_query.register(on_sale_action, SaleCb.filter())
    router.message.register(on_amount_text, SaleInput.amount, F.text, NOT_A_COMMAND)
    router.message.register(on_line_text, SaleInput.line, F.text, NOT_A_COMMAND)
    router.message.register(on_date_text, SaleInput.date, F.text, NOT_A_COMMAND)
    router.message.register(on_client_text, SaleInput.client, F.text, NOT_A_COMMAND)
    return router
