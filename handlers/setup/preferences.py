"""Answers to the setting questions: buttons (PrefCb, one handler per setting) and typed input
in PrefInput states.

Replies use the manager's language as it is after the change (``translator(...)``, not
``ctx.t``): choosing English must be confirmed in English.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Ctx
from bot.i18n import Translator, all_translations, translator
from bot.services.crm import managers as manager_service
from bot.services.crm.managers import InvalidSetting
from bot.services.parsing.timeparse import parse_clock_time, parse_time_range
from bot.services.parsing.timezones import (
    describe_timezone,
    resolve_timezone,
    timezone_from_location,
)
from bot.services.schedule import reminder_actions
from handlers.callbacks import Flow, PrefCb, PrefField
from handlers.setup import keyboards as kb
from handlers.setup.prefs_flow import after, confirm
from handlers.setup.views import quiet_label, reminders_text, timezone_label
from handlers.states import PrefInput
from storage.models import Manager

log = logging.getLogger(__name__)
NOT_A_COMMAND = ~F.text.startswith("/")
REMINDER_FIELDS = {PrefField.BIRTHDAY_LEAD, PrefField.CADENCE_KEY, PrefField.CADENCE_REGULAR}

# Applies a button's value to one setting; InvalidSetting for a value it does not accept.
Setter = Callable[[AsyncSession, Manager, str, datetime], Awaitable[None]]
PrefHandler = Callable[[CallbackQuery, PrefCb, Ctx], Awaitable[None]]


def _parse_hhmm(value: str) -> time:
    if len(value) != 4 or not value.isdigit():
        raise InvalidSetting("settings-invalid-value")
    parsed = parse_clock_time(f"{value[:2]}:{value[2:]}")
    if parsed is None:
        raise InvalidSetting("settings-invalid-value")
    return parsed


def _days(value: str) -> int:
    if not value.isdigit():
        raise InvalidSetting("settings-invalid-value")
    return int(value)


async def _set_language(session: AsyncSession, manager: Manager, value: str, _: datetime) -> None:
    await manager_service.set_language(session, manager, value)


async def _set_timezone(session: AsyncSession, manager: Manager, value: str, _: datetime) -> None:
    await manager_service.set_timezone(session, manager, value)


async def _set_mode(session: AsyncSession, manager: Manager, value: str, _: datetime) -> None:
    await manager_service.set_work_mode(session, manager, value)


async def _set_digest(session: AsyncSession, manager: Manager, value: str, _: datetime) -> None:
    await manager_service.set_digest_time(session, manager, _parse_hhmm(value))


async def _set_quiet(session: AsyncSession, manager: Manager, value: str, _: datetime) -> None:
    span = parse_time_range(value)
    if span is None:
        raise InvalidSetting("settings-invalid-value")
    await manager_service.set_quiet_hours(session, manager, *span)


async def _set_lead(session: AsyncSession, manager: Manager, value: str, _: datetime) -> None:
    await manager_service.set_birthday_lead(session, manager, _days(value))


async def _set_key_cadence(
    session: AsyncSession, manager: Manager, value: str, now: datetime
) -> None:
    await manager_service.set_cadence(
        session, manager, key_days=_days(value), regular_days=None, now=now
    )


async def _set_regular_cadence(
    session: AsyncSession, manager: Manager, value: str, now: datetime
) -> None:
    await manager_service.set_cadence(
        session, manager, key_days=None, regular_days=_days(value), now=now
    )


REMINDER_SETTERS: dict[str, Setter] = {
    PrefField.BIRTHDAY_LEAD: _set_lead,
    PrefField.CADENCE_KEY: _set_key_cadence,
    PrefField.CADENCE_REGULAR: _set_regular_cadence,
}


def _value_label(t: Translator, manager: Manager, field: str, now: datetime) -> str:
    labels = {
        "lang": lambda: t(f"language-name-{manager.language}"),
        "tz": lambda: timezone_label(manager, now),
        "mode": lambda: t(f"mode-{manager.work_mode.value}-name"),
        "digest": lambda: f"{manager.digest_time:%H:%M}",
        "quiet": lambda: quiet_label(t, manager),
    }
    return labels[field]() if field in labels else ""


async def _change(query: CallbackQuery, callback_data: PrefCb, ctx: Ctx, setter: Setter) -> bool:
    """Applies the pressed value; a refused one is answered with an alert (False)."""
    try:
        await setter(ctx.session, ctx.manager, callback_data.value, ctx.now)
    except InvalidSetting as exc:
        field, value = callback_data.field, callback_data.value
        log.warning("refused setting %s=%r from user %s", field, value, query.from_user.id)
        await query.answer(translator(ctx.manager.language)(exc.key), show_alert=True)
        return False
    return True


async def _done(query: CallbackQuery, callback_data: PrefCb, ctx: Ctx, text: str) -> None:
    """The pressed message says what was done; then the next question (or the menu)."""
    await query.answer()
    await ctx.edit(text)
    await after(ctx, callback_data.field, callback_data.flow)


async def _confirmed(query: CallbackQuery, callback_data: PrefCb, ctx: Ctx, released: int) -> None:
    t = translator(ctx.manager.language)
    field = callback_data.field
    done = t(f"set-{field}-done", value=_value_label(t, ctx.manager, field, ctx.now))
    if released:
        done += "\n" + t("quiet-released", count=released)
    await _done(query, callback_data, ctx, done)


async def _show_reminders(query: CallbackQuery, ctx: Ctx) -> None:
    t = translator(ctx.manager.language)
    await query.answer()
    await ctx.edit(reminders_text(t, ctx.manager), kb.reminders_kb(t))


def _setting_handler(setter: Setter) -> PrefHandler:
    """The handler of a question answered by one button: set, confirm, move on."""

    async def on_setting(query: CallbackQuery, callback_data: PrefCb, ctx: Ctx) -> None:
        if await _change(query, callback_data, ctx, setter):
            await _confirmed(query, callback_data, ctx, released=0)

    return on_setting


on_language = _setting_handler(_set_language)
on_timezone = _setting_handler(_set_timezone)
on_mode = _setting_handler(_set_mode)
on_digest = _setting_handler(_set_digest)


async def on_quiet(query: CallbackQuery, callback_data: PrefCb, ctx: Ctx) -> None:
    if not await _change(query, callback_data, ctx, _set_quiet):
        return
    # Quiet hours switched off or narrowed: what they were holding goes out now.
    released = await reminder_actions.release_held(ctx.session, ctx.manager, ctx.now)
    await _confirmed(query, callback_data, ctx, released)


async def on_reminder_setting(query: CallbackQuery, callback_data: PrefCb, ctx: Ctx) -> None:
    """Birthday lead and check-in cadences: the reminders screen stays, with the new values."""
    if await _change(query, callback_data, ctx, REMINDER_SETTERS[callback_data.field]):
        await _show_reminders(query, ctx)


async def on_skip(query: CallbackQuery, callback_data: PrefCb, ctx: Ctx) -> None:
    if callback_data.field in REMINDER_FIELDS:
        await _show_reminders(query, ctx)
        return
    await _done(query, callback_data, ctx, translator(ctx.manager.language)("step-skipped"))


async def _flow(ctx: Ctx) -> Flow:
    flow = (await ctx.state.get_data()).get("flow")
    return Flow.ONBOARDING if flow == Flow.ONBOARDING else Flow.SETTINGS


async def _answered(field: str, ctx: Ctx) -> None:
    """A typed answer was saved: confirm it (removing the reply keyboard) and move on."""
    t = translator(ctx.manager.language)
    label = _value_label(t, ctx.manager, field, ctx.now)
    await confirm(ctx, t(f"set-{field}-done", value=label))
    await after(ctx, field, await _flow(ctx))


async def on_timezone_skip(message: Message, ctx: Ctx) -> None:
    await _answered("tz", ctx)


async def on_timezone_location(message: Message, ctx: Ctx) -> None:
    assert message.location is not None
    zone = timezone_from_location(message.location.latitude, message.location.longitude)
    if zone is None:
        await message.answer(translator(ctx.manager.language)("tz-location-unknown"))
        return
    await manager_service.set_timezone(ctx.session, ctx.manager, zone)
    await _answered("tz", ctx)


async def on_timezone_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    manager, now = ctx.manager, ctx.now
    t = translator(manager.language)
    found = resolve_timezone(message.text, now)
    if found.zone is None:
        flow = await _flow(ctx)
        options = [
            (zone, describe_timezone(zone, manager.language, now)) for zone in found.suggestions
        ]
        key = "tz-suggest" if options else "tz-not-understood"
        await message.answer(
            t(key, text=message.text[:100]),
            reply_markup=kb.timezone_suggestions_kb(t, flow, options),
        )
        return
    await manager_service.set_timezone(ctx.session, manager, found.zone)
    await _answered("tz", ctx)


async def on_digest_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    at = parse_clock_time(message.text)
    if at is None:
        await message.answer(translator(ctx.manager.language)("digest-not-understood"))
        return
    await manager_service.set_digest_time(ctx.session, ctx.manager, at)
    await _answered("digest", ctx)


async def on_quiet_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    t = translator(ctx.manager.language)
    span = parse_time_range(message.text)
    if span is None:
        await message.answer(t("quiet-not-understood"))
        return
    await manager_service.set_quiet_hours(ctx.session, ctx.manager, *span)
    released = await reminder_actions.release_held(ctx.session, ctx.manager, ctx.now)
    await _answered("quiet", ctx)
    if released:
        await message.answer(t("quiet-released", count=released))


def _register_buttons(router: Router) -> None:
    on = router.callback_query.register
    on(on_skip, PrefCb.filter(F.value == kb.SKIP))  # before the setters: nothing to set
    on(on_language, PrefCb.filter(F.field == PrefField.LANGUAGE))
    on(on_timezone, PrefCb.filter(F.field == PrefField.TIMEZONE))
    on(on_mode, PrefCb.filter(F.field == PrefField.MODE))
    on(on_digest, PrefCb.filter(F.field == PrefField.DIGEST))
    on(on_quiet, PrefCb.filter(F.field == PrefField.QUIET))
    on(on_reminder_setting, PrefCb.filter(F.field.in_(REMINDER_FIELDS)))


def build_router() -> Router:
    router = Router(name=__name__)
    _register_buttons(router)
    router.message.register(
        on_timezone_skip, PrefInput.timezone, F.text.in_(all_translations("btn-skip"))
    )
    router.message.register(on_timezone_location, PrefInput.timezone, F.location)
    router.message.register(on_timezone_text, PrefInput.timezone, F.text, NOT_A_COMMAND)
    router.message.register(on_digest_text, PrefInput.digest, F.text, NOT_A_COMMAND)
    router.message.register(on_quiet_text, PrefInput.quiet, F.text, NOT_A_COMMAND)
    return router
