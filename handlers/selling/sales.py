"""/sale: a sale in one message, saved first, then fixable (amount, product, date, client)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm import clients as client_service
from bot.services.crm import plans as plan_service
from bot.services.crm import sales as sale_service
from bot.services.crm.clients import ClientNotFound
from bot.services.crm.sales import ClientArchived, NewSale, Recorded, SaleProblem
from bot.services.parsing.amounts import AmountError, parse_amount
from bot.services.parsing.date_order import month_first
from bot.services.parsing.dates import DateProblem, parse_when
from handlers.callbacks import SaleAction, SaleCb
from handlers.selling import sale_views as views
from handlers.touches.drafts import forget, recall, remember
from storage.enums import PeriodKind
from storage.models import Client

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
    ctx: Ctx, found: Recorded, *, edit: bool = False, restored: bool = False
) -> None:
    """The saved sale with its fix buttons, as a new message or (``edit``) on the pressed one."""
    now, manager = ctx.now, ctx.manager
    month = await plan_service.progress(ctx.session, manager, PeriodKind.MONTH, now)
    text = views.sale_text(ctx.t, found.sale, found.client, manager, now, month, restored=restored)
    markup = views.sale_kb(ctx.t, found.sale.id)
    if edit:
        await ctx.edit(text, markup)
    else:
        await ctx.send(text, markup)


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


async def _ask_restore(ctx: Ctx, client: Client, draft: dict[str, Any]) -> None:
    amount = views.money(ctx.manager, int(draft["amount"]))
    sent = await ctx.send(
        ctx.t("sale-archived", name=client.name, amount=amount),
        views.restore_kb(ctx.t, client.id),
    )
    await remember(ctx.state, sent.message_id, {DRAFT: draft})


async def _save(
    ctx: Ctx, client_id: int, draft: dict[str, Any], *, restore: bool = False, edit: bool = False
) -> None:
    try:
        found = await sale_service.record(
            ctx.session, ctx.manager, client_id, _from_draft(draft), ctx.now, restore=restore
        )
    except ClientArchived as exc:
        await _ask_restore(ctx, exc.client, draft)
        return
    await ctx.state.update_data({DRAFT: None})
    await show_sale(ctx, found, edit=edit, restored=restore)


async def on_sale(message: Message, command: CommandObject, ctx: Ctx) -> None:
    t, manager = ctx.t, ctx.manager
    if await ctx.state.get_state() in SaleInput.__all_states_names__:
        await ctx.state.set_state(None)  # a new sale abandons a fix that was waiting for text
    text = (command.args or "").strip()
    if not text:
        await message.answer(t("sale-usage"))
        return
    try:
        understood = await sale_service.understand(ctx.session, manager, text, ctx.now)
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
        await _save(ctx, understood.client.id, draft)
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
    await remember(ctx.state, sent.message_id, {DRAFT: draft})


# --- the buttons under a waiting draft (`id` = client) -------------------------------------
async def _waiting_draft(query: CallbackQuery, ctx: Ctx) -> dict[str, Any] | None:
    """The draft of the pressed prompt; None (and the press answered) when it is gone."""
    draft = ((await recall(ctx.state, ctx.message_id)) or {}).get(DRAFT)
    if not isinstance(draft, dict):
        await query.answer(ctx.t("sale-draft-gone"), show_alert=True)
        return None
    return draft


async def _save_waiting(query: CallbackQuery, ctx: Ctx, client_id: int, *, restore: bool) -> None:
    draft = await _waiting_draft(query, ctx)
    if draft is None:
        return
    # A forged or deleted client: handlers/errors.py answers.
    await _save(ctx, client_id, draft, restore=restore, edit=True)
    await forget(ctx.state, ctx.message_id)  # answered (a restore question has a draft of its own)
    await query.answer()


async def on_draft_pick(query: CallbackQuery, callback_data: SaleCb, ctx: Ctx) -> None:
    await _save_waiting(query, ctx, callback_data.id, restore=False)


async def on_draft_restore(query: CallbackQuery, callback_data: SaleCb, ctx: Ctx) -> None:
    await _save_waiting(query, ctx, callback_data.id, restore=True)


async def on_draft_create(query: CallbackQuery, ctx: Ctx) -> None:
    draft = await _waiting_draft(query, ctx)
    if draft is None:
        return
    try:
        found = await sale_service.create_client_and_record(
            ctx.session, ctx.manager, str(draft["query"]), _from_draft(draft), ctx.now
        )
    except ClientArchived as exc:  # an archived namesake was there already
        await query.answer()
        await _ask_restore(ctx, exc.client, draft)
        return
    except client_service.ClientProblem as exc:
        await query.answer(ctx.t(exc.key), show_alert=True)
        return
    await forget(ctx.state, ctx.message_id)
    await query.answer(ctx.t("client-created-toast"))
    await show_sale(ctx, found, edit=True)


async def on_draft_cancel(query: CallbackQuery, ctx: Ctx) -> None:
    if await _waiting_draft(query, ctx) is None:
        return
    await forget(ctx.state, ctx.message_id)
    await query.answer()
    await ctx.edit(ctx.t("sale-cancelled"))


# --- fixing a saved sale (`id` = sale) ------------------------------------------------------
_ASK = {
    SaleAction.ASK_AMOUNT: (SaleInput.amount, "sale-ask-amount"),
    SaleAction.ASK_LINE: (SaleInput.line, "sale-ask-line"),
    SaleAction.ASK_CLIENT: (SaleInput.client, "sale-ask-client"),
}


async def on_undo(query: CallbackQuery, callback_data: SaleCb, ctx: Ctx) -> None:
    gone = await sale_service.delete(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer()
    text = f"{gone.client.name}, {views.money(ctx.manager, gone.sale.amount_minor)}"
    await ctx.edit(ctx.t("sale-undone", text=text))


async def _wait_for_fix(query: CallbackQuery, ctx: Ctx, sale_id: int, wanted: State) -> None:
    await sale_service.get(ctx.session, ctx.manager, sale_id)  # ownership first
    await ctx.state.set_state(wanted)
    await ctx.state.update_data(sale_id=sale_id)
    await query.answer()


async def on_ask_fix(query: CallbackQuery, callback_data: SaleCb, ctx: Ctx) -> None:
    """Amount, product line or client: the fix is typed next."""
    wanted, key = _ASK[callback_data.action]
    await _wait_for_fix(query, ctx, callback_data.id, wanted)
    await ctx.send(ctx.t(key))


async def on_ask_date(query: CallbackQuery, callback_data: SaleCb, ctx: Ctx) -> None:
    await _wait_for_fix(query, ctx, callback_data.id, SaleInput.date)
    await ctx.send(ctx.t("sale-ask-date"), views.date_kb(ctx.t, callback_data.id))


async def on_days_ago(query: CallbackQuery, callback_data: SaleCb, ctx: Ctx) -> None:
    now, manager = ctx.now, ctx.manager
    try:
        days = min(max(int(callback_data.value or 0), 0), 2)
    except ValueError:  # a forged value: as if the sale were gone
        await query.answer(ctx.t("sale-not-found"), show_alert=True)
        return
    day = now.astimezone(ZoneInfo(manager.timezone)) - timedelta(days=days)
    sold_at = now if days == 0 else day.replace(hour=12, minute=0, second=0, microsecond=0)
    found = await sale_service.set_date(ctx.session, manager, callback_data.id, sold_at, now)
    await ctx.state.set_state(None)
    await query.answer(ctx.t("saved-toast"))
    await show_sale(ctx, found, edit=True)


async def on_move(query: CallbackQuery, callback_data: SaleCb, ctx: Ctx) -> None:
    try:
        found = await sale_service.move(
            ctx.session, ctx.manager, callback_data.id, int(callback_data.value or 0), ctx.now
        )
    except (ClientNotFound, ValueError):
        # A forged or deleted target client, or a forged value: this button answers for the sale.
        await query.answer(ctx.t("sale-not-found"), show_alert=True)
        return
    except ClientArchived as exc:
        await query.answer()
        await ctx.send(ctx.t("sale-move-archived", name=exc.client.name))
        return
    await ctx.state.set_state(None)
    await query.answer(ctx.t("saved-toast"))
    await show_sale(ctx, found, edit=True)


async def _sale_id(state: FSMContext) -> int:
    return int((await state.get_data()).get("sale_id", 0))


async def _apply_fix(ctx: Ctx, change: Callable[[int], Awaitable[Recorded]]) -> None:
    """Runs one typed fix on the sale being fixed; a sale undone meanwhile is answered by
    handlers/errors.py (which also leaves the dialog)."""
    found = await change(await _sale_id(ctx.state))
    await ctx.state.set_state(None)
    await show_sale(ctx, found)


async def on_amount_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    session, manager = ctx.session, ctx.manager
    try:
        minor = sale_service.amount_for(manager, parse_amount(message.text))
    except AmountError as exc:
        await message.answer(amount_error_text(ctx.t, exc))  # still waiting for a good amount
        return
    except SaleProblem as exc:
        await message.answer(ctx.t(exc.key, **exc.args_))
        return
    await _apply_fix(ctx, lambda sale_id: sale_service.set_amount(session, manager, sale_id, minor))


async def on_line_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    raw = None if message.text.strip() in {"-", "—", "–"} else message.text
    session, manager = ctx.session, ctx.manager
    await _apply_fix(ctx, lambda sale_id: sale_service.set_line(session, manager, sale_id, raw))


async def on_date_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    t, session, manager, now = ctx.t, ctx.session, ctx.manager, ctx.now
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
        ctx, lambda sale_id: sale_service.set_date(session, manager, sale_id, sold_at, now)
    )


async def on_client_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    sale_id = await _sale_id(ctx.state)
    result = await client_service.lookup(ctx.session, ctx.manager, message.text)
    if result.kind not in ("exact", "confident") or result.best is None:
        await message.answer(
            ctx.t("sale-client-choose"), reply_markup=views.move_kb(sale_id, result.matches)
        )
        return
    try:
        found = await sale_service.move(ctx.session, ctx.manager, sale_id, result.best.id, ctx.now)
    except ClientArchived as exc:
        await message.answer(ctx.t("sale-move-archived", name=exc.client.name))
        return
    await ctx.state.set_state(None)
    await show_sale(ctx, found)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_sale, Command("sale"))
    router.callback_query.register(on_draft_pick, SaleCb.filter(F.action == SaleAction.PICK))
    router.callback_query.register(
        on_draft_create, SaleCb.filter(F.action == SaleAction.CREATE_CLIENT)
    )
    router.callback_query.register(on_draft_restore, SaleCb.filter(F.action == SaleAction.RESTORE))
    router.callback_query.register(on_draft_cancel, SaleCb.filter(F.action == SaleAction.CANCEL))
    router.callback_query.register(on_undo, SaleCb.filter(F.action == SaleAction.UNDO))
    router.callback_query.register(on_ask_date, SaleCb.filter(F.action == SaleAction.ASK_DATE))
    router.callback_query.register(on_days_ago, SaleCb.filter(F.action == SaleAction.DAYS_AGO))
    router.callback_query.register(on_move, SaleCb.filter(F.action == SaleAction.MOVE))
    router.callback_query.register(on_ask_fix, SaleCb.filter(F.action.in_(_ASK)))
    router.message.register(on_amount_text, SaleInput.amount, F.text, NOT_A_COMMAND)
    router.message.register(on_line_text, SaleInput.line, F.text, NOT_A_COMMAND)
    router.message.register(on_date_text, SaleInput.date, F.text, NOT_A_COMMAND)
    router.message.register(on_client_text, SaleInput.client, F.text, NOT_A_COMMAND)
    return router
