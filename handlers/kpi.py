"""/kpi [week|month|quarter|year]: where the manager stands, the period buttons and the chart."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.enums import ChatAction
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services.chart_b2c import b2c_chart_png
from bot.services.charts import kpi_chart_png
from bot.services.clock import Clock
from bot.services.kpi import build_kpi
from bot.services.kpi.text import period_label
from bot.services.kpi.words import parse_period
from bot.services.periods import local_today, period_of
from handlers.callbacks import KpiCb
from handlers.kpi_views import kpi_kb, kpi_text
from handlers.replies import edit_or_send
from handlers.request_views import format_duration
from storage.enums import PeriodKind, WorkMode
from storage.models import Manager


async def on_kpi(
    message: Message,
    command: CommandObject,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    clock: Clock,
) -> None:
    kind = parse_period(command.args)
    if kind is None:
        await message.answer(t("kpi-bad-period", word=(command.args or "").strip()[:40]))
        return
    report = await build_kpi(session, manager, kind, clock.now())
    await message.answer(kpi_text(t, report), reply_markup=kpi_kb(t, kind))


async def on_kpi_button(
    query: CallbackQuery,
    callback_data: KpiCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    clock: Clock,
) -> None:
    # `manager` is whoever pressed: a forwarded or forged button shows their own figures.
    kinds = {k.value: k for k in PeriodKind}
    kind = kinds.get(callback_data.period)
    if kind is None or callback_data.action not in {"p", "c"}:
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    chat_id = query.from_user.id
    now = clock.now()
    if callback_data.action == "c":
        await query.answer()
        await bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)  # drawing takes a moment
        caption_key = "kpi-chart-caption"
        if manager.work_mode == WorkMode.B2C:
            # No sales plan in B2C: the chart shows request times and reviews, as /kpi does.
            png = await b2c_chart_png(session, manager, kind, now, t, format_duration)
            caption_key = "chart-b2c-caption"
        else:
            png = await kpi_chart_png(session, manager, kind, now, t)
        period = period_of(kind, local_today(now, _zone(manager)))
        caption = t(caption_key, period=period_label(period, t.lang))
        await bot.send_photo(chat_id, BufferedInputFile(png, "kpi.png"), caption=caption)
        return
    await query.answer()
    report = await build_kpi(session, manager, kind, now)
    message_id = query.message.message_id if query.message is not None else None
    await edit_or_send(bot, chat_id, message_id, kpi_text(t, report), kpi_kb(t, kind))


def _zone(manager: Manager) -> ZoneInfo:
    return ZoneInfo(manager.timezone)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_kpi, Command("kpi"))
    router.callback_query.register(on_kpi_button, KpiCb.filter())
    return router
