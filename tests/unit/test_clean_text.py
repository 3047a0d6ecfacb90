"""Control characters leave incoming text; entities keep pointing at the same words."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.types import Chat, Message, MessageEntity

from bot.clean_text import clean_message


def _message(text: str, entities: list[MessageEntity]) -> Message:
    return Message(
        message_id=1,
        date=datetime(2026, 12, 6, tzinfo=UTC),
        chat=Chat(id=1, type="private"),
        text=text,
        entities=entities,
    )


def test_controls_go_and_entities_follow_their_words() -> None:
    text = "/call\x00 Ро\x07машка 🙂 \x00жирный"
    bold_at = len("/call\x00 Ро\x07машка 🙂 ".encode("utf-16-le")) // 2  # 🙂 is two units
    message = _message(
        text,
        [
            MessageEntity(type="bot_command", offset=0, length=6),
            MessageEntity(type="bold", offset=bold_at, length=7),
        ],
    )
    clean = clean_message(message)
    assert clean.text == "/call Ромашка 🙂 жирный"
    command, bold = clean.entities or []
    assert (command.offset, command.length) == (0, 5)
    assert bold.extract_from(clean.text) == "жирный"


def test_a_clean_message_is_left_as_it_is() -> None:
    message = _message("Ромашка: обсудили\tпоставку\n", [])
    assert clean_message(message) is message
