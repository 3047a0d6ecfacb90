"""/log alone: client → type → outcome in three taps, then an optional comment."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm import clients as client_service
from bot.services.crm import touches as touch_service
from bot.services.crm.touches import NewTouch
from bot.services.parsing.touch_parse import parse_touch
from handlers.callbacks import ClientAction, ClientCb, TapCb
from handlers.clientbase.client_views import KIND_ICONS
from handlers.states import TouchInput
from handlers.touches import touch_views
from storage.enums import Channel, Outcome

PICK = 8
SKIPPED = "x"  # the outcome tapped as "skip"


async def show_client_picker(ctx: Ctx) -> None:
    now = ctx.now
    clients = await client_service.for_quick_pick(ctx.session, ctx.manager, now, PICK)
    if not clients:
        await ctx.send(ctx.t("log-no-clients"))
        return
    rows = [
        [
            Button(
                text=("⚠️ " if c.next_checkin_at and c.next_checkin_at <= now else "") + c.name[:50],
                callback_data=TapCb(id=c.id).pack(),
            )
        ]
        for c in clients
    ]
    # A client never touched is not among the recent ones: typing its name is one tap away.
    rows.append(
        [
            Button(
                text=ctx.t("resolution-btn-other"),
                callback_data=ClientCb(action=ClientAction.TYPE_NAME).pack(),
            )
        ]
    )
    await ctx.send(ctx.t("log-pick-client"), Markup(inline_keyboard=rows))


async def on_other_client(query: CallbackQuery, ctx: Ctx) -> None:
    """The name typed next reaches the fallback, which offers to log a touch or open the card."""
    await query.answer()
    await ctx.send(ctx.t("resolution-type-name"))


def _kinds(t: Translator, client_id: int) -> Markup:
    buttons = [
        Button(
            text=f"{icon} {t(f'kind-{kind.value}')}",
            callback_data=TapCb(id=client_id, kind=kind.value).pack(),
        )
        for kind, icon in KIND_ICONS.items()
    ]
    return Markup(inline_keyboard=[buttons[:3], buttons[3:]])


def _outcomes(t: Translator, client_id: int, kind: str) -> Markup:
    buttons = [
        Button(
            text=f"{icon} {t(f'outcome-{o.value}')}",
            callback_data=TapCb(id=client_id, kind=kind, outcome=o.value).pack(),
        )
        for o, icon in touch_views.OUTCOME_ICONS.items()
    ]
    skip = Button(
        text=t("btn-skip"), callback_data=TapCb(id=client_id, kind=kind, outcome=SKIPPED).pack()
    )
    return Markup(inline_keyboard=[buttons, [skip]])


# Three taps, one handler each: the button carries what was chosen so far. A client that is
# gone or not the presser's raises ClientNotFound, answered by handlers/errors.py.


async def on_tap_client(query: CallbackQuery, callback_data: TapCb, ctx: Ctx) -> None:
    client = await client_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    text = ctx.t("log-pick-kind", client=client.name)
    await ctx.edit(text, _kinds(ctx.t, client.id))


async def on_tap_kind(query: CallbackQuery, callback_data: TapCb, ctx: Ctx) -> None:
    client = await client_service.get(ctx.session, ctx.manager, callback_data.id)
    kind = _channel(callback_data.kind)
    if kind is None:
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    await query.answer()
    text = ctx.t("log-pick-outcome", client=client.name, kind=ctx.t(f"kind-{kind.value}"))
    await ctx.edit(text, _outcomes(ctx.t, client.id, kind.value))


async def on_tap_outcome(query: CallbackQuery, callback_data: TapCb, ctx: Ctx) -> None:
    client = await client_service.get(ctx.session, ctx.manager, callback_data.id)
    choice = _choice(callback_data)
    if choice is None:
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    kind, outcome = choice
    if ctx.message_id is not None and not await touch_service.first_press(
        ctx.session, ctx.chat_id, ctx.message_id, query.data or "", ctx.now
    ):
        # A double tap, or the tenth: the touch was saved by the first press.
        await query.answer(ctx.t("tap-already-saved"))
        return
    new = NewTouch(kind=kind, summary="", outcome=outcome)
    touch = (await touch_service.record(ctx.session, ctx.manager, client.id, new, ctx.now)).touch
    await query.answer(ctx.t("saved-toast"))
    await ctx.state.set_state(TouchInput.comment)
    await ctx.state.update_data(touch_id=touch.id)
    text = touch_views.touch_text(ctx.t, touch, client, ctx.manager, ctx.now)
    await ctx.edit(text + "\n\n" + ctx.t("log-add-comment"), touch_views.touch_kb(ctx.t, touch))


def _channel(value: str) -> Channel | None:
    try:
        return Channel(value)
    except ValueError:  # forged: no button carries another kind
        return None


def _choice(data: TapCb) -> tuple[Channel, Outcome | None] | None:
    """The kind and outcome tapped; None for forged values no button carries."""
    kind = _channel(data.kind)
    try:
        outcome = None if data.outcome == SKIPPED else Outcome(data.outcome)
    except ValueError:
        return None
    return (kind, outcome) if kind is not None else None


async def on_comment(message: Message, ctx: Ctx) -> None:
    """The comment may carry a next step with a date, like any one-message log."""
    assert message.text is not None
    touch_id = int((await ctx.state.get_data()).get("touch_id", 0))
    now = ctx.now
    draft = parse_touch(message.text, now, ctx.manager.timezone)
    await ctx.state.set_state(None)
    # A touch gone meanwhile: handlers/errors.py says so.
    touch = await touch_service.add_details(
        ctx.session, ctx.manager, touch_id, draft.summary or message.text, draft, now
    )
    client = await client_service.get(ctx.session, ctx.manager, touch.client_id)
    text = touch_views.touch_text(ctx.t, touch, client, ctx.manager, now)
    await message.answer(text, reply_markup=touch_views.touch_kb(ctx.t, touch))


def build_router() -> Router:
    router = Router(name=__name__)
    taps = router.callback_query
    taps.register(on_tap_client, TapCb.filter(F.kind == ""))
    taps.register(on_tap_kind, TapCb.filter((F.kind != "") & (F.outcome == "")))
    taps.register(on_tap_outcome, TapCb.filter((F.kind != "") & (F.outcome != "")))
    router.callback_query.register(
        on_other_client, ClientCb.filter(F.action == ClientAction.TYPE_NAME)
    )
    router.message.register(on_comment, TouchInput.comment, F.text, ~F.text.startswith("/"))
    return router
