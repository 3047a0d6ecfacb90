"""The questions of onboarding and /settings, and what comes after each answer.

Onboarding asks language → timezone → work mode → digest time, each skippable; /settings asks
one of them and returns to the menu.

Texts here use the manager's language as it is now, not ``ctx.t``: the answer just given may
have changed it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.types import ReplyKeyboardRemove

from bot.context import Ctx
from bot.i18n import Translator, translator
from bot.services.crm import managers as manager_service
from handlers.callbacks import Flow
from handlers.setup import keyboards as kb
from handlers.setup.views import reminders_text, settings_text, timezone_label
from handlers.states import PrefInput

ONBOARDING_STEPS = ("lang", "tz", "mode", "digest")

Asker = Callable[[Ctx, Translator, Flow], Awaitable[None]]


async def _ask_language(ctx: Ctx, t: Translator, flow: Flow) -> None:
    await ctx.send(t("ask-language"), kb.language_kb(t, flow))


async def _ask_timezone(ctx: Ctx, t: Translator, flow: Flow) -> None:
    await ctx.state.set_state(PrefInput.timezone)
    await ctx.bot.send_message(
        ctx.chat_id,
        t("ask-timezone", current=timezone_label(ctx.manager, ctx.now)),
        reply_markup=kb.location_request_kb(t),
    )


async def _ask_mode(ctx: Ctx, t: Translator, flow: Flow) -> None:
    await ctx.send(t("ask-mode"), kb.work_mode_kb(t, flow))


async def _ask_digest(ctx: Ctx, t: Translator, flow: Flow) -> None:
    await ctx.state.set_state(PrefInput.digest)
    current = f"{ctx.manager.digest_time:%H:%M}"
    await ctx.send(t("ask-digest", current=current), kb.digest_kb(t, flow))


async def _ask_quiet(ctx: Ctx, t: Translator, flow: Flow) -> None:
    await ctx.state.set_state(PrefInput.quiet)
    await ctx.send(t("ask-quiet"), kb.quiet_kb(t))


async def _ask_reminders(ctx: Ctx, t: Translator, flow: Flow) -> None:
    await ctx.send(reminders_text(t, ctx.manager), kb.reminders_kb(t))


ASKERS: dict[str, Asker] = {
    "lang": _ask_language,
    "tz": _ask_timezone,
    "mode": _ask_mode,
    "digest": _ask_digest,
    "quiet": _ask_quiet,
    "reminders": _ask_reminders,
}


async def ask(ctx: Ctx, step: str, flow: Flow) -> None:
    asker = ASKERS.get(step)
    if asker is None:
        raise ValueError(f"unknown step {step!r}")
    await ctx.state.set_state(None)
    await ctx.state.update_data(flow=str(flow))
    await asker(ctx, translator(ctx.manager.language), flow)


async def after(ctx: Ctx, step: str, flow: Flow) -> None:
    """Moves on once a step is answered or skipped."""
    await ctx.state.set_state(None)
    if flow == Flow.ONBOARDING and step in ONBOARDING_STEPS:
        index = ONBOARDING_STEPS.index(step)
        if index + 1 < len(ONBOARDING_STEPS):
            await ask(ctx, ONBOARDING_STEPS[index + 1], flow)
            return
        await manager_service.finish_onboarding(ctx.session, ctx.manager, ctx.now)
        await ctx.state.clear()
        t = translator(ctx.manager.language)
        await confirm(ctx, t("onboarding-done"))
        await ctx.send(settings_text(t, ctx.manager, ctx.now))
        return
    await ctx.state.clear()
    await show_settings(ctx)


async def show_settings(ctx: Ctx) -> None:
    t = translator(ctx.manager.language)
    await ctx.send(settings_text(t, ctx.manager, ctx.now), kb.settings_menu_kb(t))


async def confirm(ctx: Ctx, text: str) -> None:
    """A short ✅ line that also removes the location keyboard, if one is showing."""
    await ctx.bot.send_message(ctx.chat_id, text, reply_markup=ReplyKeyboardRemove())
