"""/log alone: client → type → outcome in three taps, then an optional comment."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import touches as touch_service
from bot.services.clients import ClientNotFound
from bot.services.clock import Clock
from bot.services.touch_parse import parse_touch
from bot.services.touches import NewTouch, TouchNotFound
from handlers import touch_views
from handlers.callbacks import ClientAction, ClientCb, TapCb
from handlers.client_views import KIND_ICONS
from handlers.replies import edit_or_send
from handlers.states import TouchInput
from storage import clients as client_store
from storage import updates as update_store
from storage.enums import Channel, Outcome
from storage.models import Manager

PICK = 8


async def show_client_picker(
    message: Message, t: Translator, session: AsyncSession, manager: Manager, clock: Clock
) -> None:
    clients = await client_store.for_quick_pick(session, manager.id, clock.now(), PICK)
    if not clients:
        await message.answer(t("log-no-clients"))
        return
    now = clock.now()
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
                text=t("resolution-btn-other"),
                callback_data=ClientCb(action=ClientAction.TYPE_NAME).pack(),
            )
        ]
    )
    await message.answer(t("log-pick-client"), reply_markup=Markup(inline_keyboard=rows))


async def on_other_client(query: CallbackQuery, t: Translator) -> None:
    """The name typed next reaches the fallback, which offers to log a touch or open the card."""
    await query.answer()
    if query.message is not None:
        await query.message.answer(t("resolution-type-name"))


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
        text=t("btn-skip"), callback_data=TapCb(id=client_id, kind=kind, outcome="x").pack()
    )
    return Markup(inline_keyboard=[buttons, [skip]])


async def on_tap(
    query: CallbackQuery,
    callback_data: TapCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    try:
        client = await client_service.get(session, manager, callback_data.id)
        if not callback_data.kind:
            await query.answer()
            await edit_or_send(
                bot,
                chat_id,
                message_id,
                t("log-pick-kind", client=client.name),
                _kinds(t, client.id),
            )
            return
        kind = Channel(callback_data.kind)
        if not callback_data.outcome:
            await query.answer()
            await edit_or_send(
                bot,
                chat_id,
                message_id,
                t("log-pick-outcome", client=client.name, kind=t(f"kind-{kind.value}")),
                _outcomes(t, client.id, kind.value),
            )
            return
        outcome = None if callback_data.outcome == "x" else Outcome(callback_data.outcome)
    except ClientNotFound:
        await query.answer(t("client-not-found"), show_alert=True)
        return
    except ValueError:
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    if message_id is not None and not await update_store.first_press(
        session, chat_id, message_id, query.data or "", clock.now()
    ):
        # A double tap, or the tenth: the touch was saved by the first press.
        await query.answer(t("tap-already-saved"))
        return
    saved = await touch_service.record(
        session, manager, client.id, NewTouch(kind=kind, summary="", outcome=outcome), clock.now()
    )
    touch = saved.touch
    await query.answer(t("saved-toast"))
    await state.set_state(TouchInput.comment)
    await state.update_data(touch_id=touch.id)
    text = (
        touch_views.touch_text(t, touch, client, manager, clock.now())
        + "\n\n"
        + t("log-add-comment")
    )
    await edit_or_send(bot, chat_id, message_id, text, touch_views.touch_kb(t, touch))


async def on_comment(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    """The comment may carry a next step with a date, like any one-message log."""
    assert message.text is not None
    touch_id = int((await state.get_data()).get("touch_id", 0))
    now = clock.now()
    draft = parse_touch(message.text, now, manager.timezone)
    await state.set_state(None)
    try:
        touch = await touch_service.add_details(
            session, manager, touch_id, draft.summary or message.text, draft, now
        )
        client = await client_service.get(session, manager, touch.client_id)
    except (TouchNotFound, ClientNotFound):
        await message.answer(t("touch-not-found"))
        return
    await message.answer(
        touch_views.touch_text(t, touch, client, manager, now),
        reply_markup=touch_views.touch_kb(t, touch),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_tap, TapCb.filter())
    router.callback_query.register(
        on_other_client, ClientCb.filter(F.action == ClientAction.TYPE_NAME)
    )
    router.message.register(on_comment, TouchInput.comment, F.text, ~F.text.startswith("/"))
    return router
