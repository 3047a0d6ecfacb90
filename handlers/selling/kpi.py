"""/kpi [week|month|quarter|year]: where the manager stands, the period buttons and the chart."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.enums import ChatAction
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.context import Ctx
from bot.services.kpi import build_kpi
from bot.services.kpi.chart_b2c import b2c_chart_png
from bot.services.kpi.charts import kpi_chart_png
from bot.services.kpi.periods import local_today, period_of
from bot.services.kpi.text import period_label
from bot.services.kpi.words import parse_period
from handlers.b2c.request_views import format_duration
from handlers.callbacks import KpiAction, KpiCb
from handlers.selling.kpi_views import kpi_kb, kpi_text
from storage.enums import WorkMode

# A KPI button carries only the period: `ctx.manager` is whoever pressed, so a forwarded or
# forged button shows the presser's own figures.


async def on_kpi(message: Message, command: CommandObject, ctx: Ctx) -> None:
    kind = parse_period(command.args)
    if kind is None:
        await message.answer(ctx.t("kpi-bad-period", word=(command.args or "").strip()[:40]))
        return
    report = await build_kpi(ctx.session, ctx.manager, kind, ctx.now)
    await message.answer(kpi_text(ctx.t, report), reply_markup=kpi_kb(ctx.t, kind, ctx.webapp_url))


async def on_period(query: CallbackQuery, callback_data: KpiCb, ctx: Ctx) -> None:
    await query.answer()
    kind = callback_data.period
    report = await build_kpi(ctx.session, ctx.manager, kind, ctx.now)
    await ctx.edit(kpi_text(ctx.t, report), kpi_kb(ctx.t, kind, ctx.webapp_url))


async def on_chart(query: CallbackQuery, callback_data: KpiCb, ctx: Ctx) -> None:
    t, manager, kind, now = ctx.t, ctx.manager, callback_data.period, ctx.now
    await query.answer()
    await ctx.bot.send_chat_action(ctx.chat_id, ChatAction.UPLOAD_PHOTO)  # drawing takes a moment
    caption_key = "kpi-chart-caption"
    if manager.work_mode == WorkMode.B2C:
        # No sales plan in B2C: the chart shows request times and reviews, as /kpi does.
        png = await b2c_chart_png(ctx.session, manager, kind, now, t, format_duration)
        caption_key = "chart-b2c-caption"
    else:
        png = await kpi_chart_png(ctx.session, manager, kind, now, t)
    period = period_of(kind, local_today(now, ZoneInfo(manager.timezone)))
    caption = t(caption_key, period=period_label(period, t.lang))
    await ctx.bot.send_photo(ctx.chat_id, BufferedInputFile(png, "kpi.png"), caption=caption)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_kpi, Command("kpi"))
    router.callback_query.register(on_period, KpiCb.filter(F.action == KpiAction.PERIOD))
    router.callback_query.register(on_chart, KpiCb.filter(F.action == KpiAction.CHART))
    return router
