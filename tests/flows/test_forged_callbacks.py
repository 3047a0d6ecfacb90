"""Forged callback ids outside int4 (PostgreSQL's integer) are outdated buttons, not crashes."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery

from tests.support.bot_client import BotClient

OUTDATED = "Эта кнопка устарела. Откройте меню заново: /help"
BAD_IDS = [2**31, 2**63, -1]
# Every factory whose id is required: 0 is as forged as any other impossible id.
REQUIRED = ["ct:open:{}:", "t:kind:{}:", "tp:{}::", "n:undo:{}", "r:done:{}:", "rv:undo:{}"]
# Factories where 0 means "no id", and free values that carry pages or ids as digits.
OPTIONAL = [
    "c:open:{}::",
    "rq:open:{}:0",
    "sl:undo:{}:",
    "pl:key:{}",
    "dm:leave:{}",
    "l:all:{}:-1",
    "rq:list:0:{}",
]
CASES = (
    [(d, i) for d in REQUIRED for i in [*BAD_IDS, 0]]
    + [(d, i) for d in OPTIONAL for i in BAD_IDS]
    + [
        ("l:all:0:{}", 2**31),  # a tag index; -1 is "no tag"
        ("l:all:0:{}", -2),
        ("c:hist:1::{}", 2**31),  # a history page
        ("c:hist:1::{}", 2**63),
        ("sl:mv:1:{}", 2**31),  # the client a sale moves to
        ("sl:mv:1:{}", 2**63),
    ]
)


@pytest.mark.parametrize(("template", "forged"), CASES)
async def test_a_forged_id_out_of_range_is_an_outdated_button(
    client: BotClient, template: str, forged: int
) -> None:
    await client.send("/start")
    requests = await client.press(template.format(forged))
    answers = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
    assert [(a.text, a.show_alert) for a in answers] == [(OUTDATED, True)]
    assert "Что-то пошло не так" not in " ".join(client.texts(requests))
