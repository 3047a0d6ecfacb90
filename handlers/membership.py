"""The user blocks or unblocks the bot in their private chat (`my_chat_member` updates)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from bot.context import Ctx
from bot.services.crm import managers as manager_service
from storage.models import Manager


async def on_blocked(event: ChatMemberUpdated, ctx: Ctx, real_manager: Manager) -> None:
    # The real manager even inside /demo (ctx.manager is the sandbox row there): it is the
    # person who stopped listening.
    await manager_service.set_blocked(ctx.session, real_manager, True, ctx.now)


async def on_unblocked(event: ChatMemberUpdated, ctx: Ctx, real_manager: Manager) -> None:
    await manager_service.set_blocked(ctx.session, real_manager, False, ctx.now)


def build_router() -> Router:
    router = Router(name=__name__)
    private = F.chat.type == ChatType.PRIVATE
    router.my_chat_member.register(on_blocked, ChatMemberUpdatedFilter(KICKED), private)
    router.my_chat_member.register(on_unblocked, ChatMemberUpdatedFilter(MEMBER), private)
    return router
