"""A member who joined keeping their own clients keeps them out of the head's sight.

The member's /kpi as the head opens it from /team counts the member's whole work, but names
team clients only: a personal client's name never reaches the head.
"""

from __future__ import annotations

import re

from aiogram import Dispatcher

from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

LINK = re.compile(r"start=(join_[\w-]+)")


async def test_the_head_sees_the_members_team_clients_by_name_never_the_personal_ones(
    dispatcher: Dispatcher, bot: MockedBot
) -> None:
    head = BotClient(dispatcher, bot, user_id=7601, first_name="Ольга")
    anna = BotClient(dispatcher, bot, user_id=7602, first_name="Анна")
    await anna.send("/client Личный Поставщик")
    await anna.click("Создать нового клиента")
    await anna.send("/sale Личный Поставщик 900000")
    await head.send("/team new Север")
    found = LINK.search(" ".join(head.texts(await head.send("/team invite"))))
    assert found
    await anna.send(f"/start {found.group(1)}")
    await anna.click("Вступить, клиентов оставить себе")
    await anna.send("/client Командный Клиент")
    await anna.click("Создать нового клиента")
    await anna.send("/sale Командный Клиент 100000")
    own = " ".join(anna.texts(await anna.send("/kpi")))
    assert "Личный Поставщик" in own, own  # her own /kpi names both

    await head.send("/team")
    seen = " ".join(head.texts(await head.click("Анна")))
    assert "Командный Клиент" in seen, seen
    assert "Личный Поставщик" not in seen, seen
