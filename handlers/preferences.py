"""Answers to the setting questions: buttons (PrefCb) and typed input in PrefInput states."""

from __future__ import annotations

import logging
from datetime import datetime, time

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, all_translations, translator
from bot.services import managers as manager_service
from bot.services import reminder_actions
from bot.services.clock import Clock
from bot.services.managers import InvalidSetting
from bot.services.timeparse import parse_clock_time, parse_time_range
from bot.services.timezones import describe_timezone, resolve_timezone, timezone_from_location
from handlers import keyboards as kb
from handlers.callbacks import Flow, PrefCb
from handlers.prefs_flow import after, confirm
from handlers.replies import edit_or_send
from handlers.states import PrefInput
from handlers.views import quiet_label, reminders_text, timezone_label
from storage.models import Manager

log = logging.getLogger(__name__)
NOT_A_COMMAND = ~F.text.startswith("/")


def _parse_hhmm(value: str) -> time:
    if len(value) != 4 or not value.isdigit():
        raise InvalidSetting("settings-invalid-value")
    parsed = parse_clock_time(f"{value[:2]}:{value[2:]}")
    if parsed is None:
        raise InvalidSetting("settings-invalid-value")
    return parsed


async def _apply(
    session: AsyncSession, manager: Manager, field: str, value: str, now: datetime
) -> None:
    if field == "lang":
        await manager_service.set_language(session, manager, value)
    elif field == "tz":
        await manager_service.set_timezone(session, manager, value)
    elif field == "mode":
        await manager_service.set_work_mode(session, manager, value)
    elif field == "digest":
        await manager_service.set_digest_time(session, manager, _parse_hhmm(value))
    elif field == "quiet":
        span = parse_time_range(value)
        if span is None:
            raise InvalidSetting("settings-invalid-value")
        await manager_service.set_quiet_hours(session, manager, *span)
    elif field == "lead" and value.isdigit():
        await manager_service.set_birthday_lead(session, manager, int(value))
    elif field in {"ck", "cr"} and value.isdigit():
        days = int(value)
        await manager_service.set_cadence(
            session,
            manager,
            key_days=days if field == "ck" else None,
            regular_days=days if field == "cr" else None,
            now=now,
        )
    else:
        raise InvalidSetting("settings-invalid-value")


def _confirmation(t: Translator, manager: Manager, field: str, now_label: str) -> str:
    return t(f"set-{field}-done", value=now_label)


def _value_label(t: Translator, manager: Manager, field: str, clock: Clock) -> str:
    labels = {
        "lang": lambda: t(f"language-name-{manager.language}"),
        "tz": lambda: timezone_label(manager, clock.now()),
        "mode": lambda: t(f"mode-{manager.work_mode.value}-name"),
        "digest": lambda: f"{manager.digest_time:%H:%M}",
        "quiet": lambda: quiet_label(t, manager),
    }
    return labels[field]() if field in labels else ""


async def on_pref_button(
    query: CallbackQuery,
    callback_data: PrefCb,
    bot: Bot,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    field, value, flow = callback_data.field, callback_data.value, callback_data.flow
    if flow not in {Flow.ONBOARDING, Flow.SETTINGS}:
        await query.answer(translator(manager.language)("callback-outdated"), show_alert=True)
        return
    if value != "skip":
        try:
            await _apply(session, manager, field, value, clock.now())
        except InvalidSetting as exc:
            log.warning("refused setting %s=%r from user %s", field, value, query.from_user.id)
            await query.answer(translator(manager.language)(exc.key), show_alert=True)
            return
    # Quiet hours switched off or narrowed: what they were holding goes out now.
    released = (
        await reminder_actions.release_held(session, manager, clock.now())
        if field == "quiet" and value != "skip"
        else 0
    )
    t = translator(manager.language)
    await query.answer()
    message_id = query.message.message_id if query.message is not None else None
    if field in {"lead", "ck", "cr"}:
        await edit_or_send(
            bot, query.from_user.id, message_id, reminders_text(t, manager), kb.reminders_kb(t)
        )
        return
    done = (
        t("step-skipped")
        if value == "skip"
        else _confirmation(t, manager, field, _value_label(t, manager, field, clock))
    )
    if released:
        done += "\n" + t("quiet-released", count=released)
    await edit_or_send(bot, query.from_user.id, message_id, done)
    await after(
        field,
        flow,
        bot=bot,
        chat_id=query.from_user.id,
        manager=manager,
        session=session,
        state=state,
        now=clock.now(),
    )


async def _flow(state: FSMContext) -> str:
    return str((await state.get_data()).get("flow", Flow.SETTINGS))


async def _answered(
    field: str,
    message: Message,
    bot: Bot,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    """A typed answer was saved: confirm it (removing the reply keyboard) and move on."""
    t = translator(manager.language)
    label = _value_label(t, manager, field, clock)
    await confirm(bot, message.chat.id, t, t(f"set-{field}-done", value=label))
    await after(
        field,
        await _flow(state),
        bot=bot,
        chat_id=message.chat.id,
        manager=manager,
        session=session,
        state=state,
        now=clock.now(),
    )


async def on_timezone_skip(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    await _answered("tz", message, bot, session, manager, state, clock)


async def on_timezone_location(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.location is not None
    zone = timezone_from_location(message.location.latitude, message.location.longitude)
    t = translator(manager.language)
    if zone is None:
        await message.answer(t("tz-location-unknown"))
        return
    await manager_service.set_timezone(session, manager, zone)
    await _answered("tz", message, bot, session, manager, state, clock)


async def on_timezone_text(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    t = translator(manager.language)
    now = clock.now()
    found = resolve_timezone(message.text, now)
    if found.zone is None:
        flow = await _flow(state)
        options = [
            (zone, describe_timezone(zone, manager.language, now)) for zone in found.suggestions
        ]
        key = "tz-suggest" if options else "tz-not-understood"
        await message.answer(
            t(key, text=message.text[:100]),
            reply_markup=kb.timezone_suggestions_kb(t, flow, options),
        )
        return
    await manager_service.set_timezone(session, manager, found.zone)
    await _answered("tz", message, bot, session, manager, state, clock)


async def on_digest_text(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    t = translator(manager.language)
    at = parse_clock_time(message.text)
    if at is None:
        await message.answer(t("digest-not-understood"))
        return
    await manager_service.set_digest_time(session, manager, at)
    await _answered("digest", message, bot, session, manager, state, clock)


async def on_quiet_text(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    t = translator(manager.language)
    span = parse_time_range(message.text)
    if span is None:
        await message.answer(t("quiet-not-understood"))
        return
    await manager_service.set_quiet_hours(session, manager, *span)
    released = await reminder_actions.release_held(session, manager, clock.now())
    await _answered("quiet", message, bot, session, manager, state, clock)
    if released:
        await message.answer(t("quiet-released", count=released))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_pref_button, PrefCb.filter())
    router.message.register(
        on_timezone_skip, PrefInput.timezone, F.text.in_(all_translations("btn-skip"))
    )
    router.message.register(on_timezone_location, PrefInput.timezone, F.location)
    router.message.register(on_timezone_text, PrefInput.timezone, F.text, NOT_A_COMMAND)
    router.message.register(on_digest_text, PrefInput.digest, F.text, NOT_A_COMMAND)
    router.message.register(on_quiet_text, PrefInput.quiet, F.text, NOT_A_COMMAND)
    return router
