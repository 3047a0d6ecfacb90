"""Issue 10, "Done when": three real users over real HTTP against the fake Bot API.

A head creates a team and invites two managers by link; each logs work; the head sees the
table and a manager's client card; the head hands one manager's clients to the other; the old
owner can no longer open them, old buttons included; the new owner sees the history but not the
old owner's private note; /privacy deletes an account and the database afterwards holds none of
its personal rows; a group chat gets no data.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, Chat
from tests.fakes.telegram_api import Call, FakeTelegramAPI

pytestmark = pytest.mark.e2e

HEAD, ANNA, BORIS = 9101, 9102, 9103
LINK = re.compile(r"start=(join_[\w-]+)")
GROUP = -1009101


class Named(Chat):
    """A user with a first name: the team's buttons and texts name people by it."""

    def __init__(self, api: FakeTelegramAPI, user_id: int, name: str) -> None:
        super().__init__(api, user_id)
        self.name = name

    def send(self, text: str, timeout: float = 15.0) -> list[Call]:
        mark = self.api.mark()
        uid = self.api.push_message(self.user_id, text, self.language_code, self.name)
        return self._handled(uid, mark, timeout)


def _texts(calls: list[Call]) -> str:
    return " ".join(Chat.texts(calls))


def _join(head: Chat, member: Chat) -> None:
    found = LINK.search(_texts(head.send("/team invite")))
    assert found
    offer = _texts(member.send(f"/start {found.group(1)}"))
    assert "Север" in offer, offer
    joined = _texts(member.click("Вступить"))
    assert "Вы в команде" in joined, joined


def _rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, args))


def test_a_team_from_invite_to_handover_and_account_deletion(
    bot_process: BotProcess, fake_api: FakeTelegramAPI
) -> None:
    head = Named(fake_api, HEAD, "Ольга")
    anna, boris = Named(fake_api, ANNA, "Анна"), Named(fake_api, BORIS, "Борис")
    assert "создана" in _texts(head.send("/team new Север"))
    _join(head, anna)
    _join(head, boris)

    anna.send("/client Ромашка")
    anna.click("Создать нового клиента")
    saved = _texts(anna.send("/call Ромашка обсудили поставку, КП в пятницу"))
    assert "Записал" in saved, saved
    anna.send("/note Ромашка: общая заметка про склад")
    anna.send("/note Ромашка: 🔒 тайна Анны")
    anna.send("/sale Ромашка 150000")
    boris.send("/client Лютик")
    boris.click("Создать нового клиента")
    boris.send("/call Лютик встреча в офисе")
    old_card = anna.send("/client Ромашка")
    assert "Ромашка" in _texts(old_card)

    table = _texts(head.send("/team"))
    assert "Итого" in table, table
    head.click("Анна")
    head.click("Клиенты")
    card = _texts(head.click("Ромашка"))
    assert "Только просмотр" in card, card
    assert "тайна Анны" not in card, card

    head.send("/handover")
    head.click("Анна")
    head.click("Всех")
    head.click("Борис")
    done = _texts(head.click("Передать"))
    assert "Ромашка" in done or "1" in done, done

    # The old owner: the client is gone for her, and so are her old card's buttons.
    again = _texts(anna.send("/client Ромашка"))
    assert "обсудили поставку" not in again, again
    message_id, data = anna.find_button("История")
    assert "обсудили поставку" not in _texts(anna.press(data, message_id))
    # The new owner: the shared history, not Anna's private note.
    brief = _texts(boris.send("/brief Ромашка"))
    assert "обсудили поставку" in brief or "КП" in brief, brief
    assert "тайна Анны" not in brief, brief

    db = bot_process.workdir / "data" / "kambot.db"
    if not db.exists():
        db = next(bot_process.workdir.rglob("*.db"))
    anna_id = _rows(db, "SELECT id FROM managers WHERE telegram_id = ?", ANNA)[0][0]
    anna.send("/privacy")
    anna.click("Удалить мой аккаунт")
    deleted = _texts(anna.send("УДАЛИТЬ"))
    assert "Аккаунт удалён" in deleted, deleted
    assert _rows(db, "SELECT count(*) FROM managers WHERE telegram_id = ?", ANNA) == [(0,)]
    for table_name in ("clients", "interactions", "notes", "sales", "reminders", "plans"):
        column = "owner_id" if table_name == "clients" else "manager_id"
        found = _rows(db, f"SELECT count(*) FROM {table_name} WHERE {column} = ?", anna_id)
        assert found == [(0,)], table_name
    assert _rows(db, "SELECT count(*) FROM notes WHERE text LIKE '%тайна Анны%'") == [(0,)]
    # The team's client lives on under Boris (the bot process is shared: other tests' users
    # have clients of that name too).
    boris_id = _rows(db, "SELECT id FROM managers WHERE telegram_id = ?", BORIS)[0][0]
    kept = "SELECT count(*) FROM clients WHERE name = 'Ромашка' AND owner_id = ?"
    assert _rows(db, kept, boris_id) == [(1,)]

    mark = fake_api.mark()
    fake_api.push_message(HEAD, "/team", chat={"id": GROUP, "type": "supergroup", "title": "Отдел"})
    head.send("/help")  # a private message after it: the group one is done by then
    group_texts = [
        str(c.params.get("text"))
        for c in fake_api.calls()[mark:]
        if str(c.params.get("chat_id")) == str(GROUP)
    ]
    assert not any("Итого" in t or "Ромашка" in t for t in group_texts), group_texts
