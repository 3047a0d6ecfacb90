"""Keyboards. Button texts come from the locale files through the translator."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from handlers.callbacks import PrefCb, SettingsCb

DIGEST_CHOICES = ("07:00", "08:00", "09:00", "10:00")
QUIET_CHOICES = ("21-08", "22-07", "23-08")
LEAD_CHOICES = ("0", "1", "3", "7", "14")
CADENCE_KEY_CHOICES = ("7", "14", "30")
CADENCE_REGULAR_CHOICES = ("14", "30", "60", "90")
WORK_MODES = ("b2b", "b2c", "kam")


def _rows(buttons: Iterable[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    row: list[InlineKeyboardButton] = []
    rows: list[list[InlineKeyboardButton]] = []
    for button in buttons:
        row.append(button)
        if len(row) == width:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return rows


def _pref(text: str, field: str, value: str, flow: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=PrefCb(field=field, value=value, flow=flow).pack()
    )


def _skip_row(t: Translator, field: str, flow: str) -> list[InlineKeyboardButton]:
    if flow == "s":
        return [
            InlineKeyboardButton(text=t("btn-back"), callback_data=SettingsCb(item="menu").pack())
        ]
    return [_pref(t("btn-skip"), field, "skip", flow)]


def language_kb(t: Translator, flow: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_pref("🇷🇺 Русский", "lang", "ru", flow), _pref("🇬🇧 English", "lang", "en", flow)],
            _skip_row(t, "lang", flow),
        ]
    )


def work_mode_kb(t: Translator, flow: str) -> InlineKeyboardMarkup:
    rows = [[_pref(t(f"mode-{mode}-button"), "mode", mode, flow)] for mode in WORK_MODES]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _skip_row(t, "mode", flow)])


def digest_kb(t: Translator, flow: str) -> InlineKeyboardMarkup:
    buttons = [_pref(v, "digest", v.replace(":", ""), flow) for v in DIGEST_CHOICES]
    return InlineKeyboardMarkup(inline_keyboard=[*_rows(buttons, 4), _skip_row(t, "digest", flow)])


def timezone_suggestions_kb(
    t: Translator, flow: str, zones: Sequence[tuple[str, str]]
) -> InlineKeyboardMarkup:
    rows = [[_pref(label, "tz", zone, flow)] for zone, label in zones]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _skip_row(t, "tz", flow)])


def location_request_kb(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("btn-share-location"), request_location=True)],
            [KeyboardButton(text=t("btn-skip"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=t("tz-placeholder"),
    )


def settings_menu_kb(t: Translator) -> InlineKeyboardMarkup:
    items = ("lang", "tz", "mode", "digest", "quiet", "reminders")
    buttons = [
        InlineKeyboardButton(
            text=t(f"settings-btn-{item}"), callback_data=SettingsCb(item=item).pack()
        )
        for item in items
    ]
    close = InlineKeyboardButton(text=t("btn-close"), callback_data=SettingsCb(item="close").pack())
    return InlineKeyboardMarkup(inline_keyboard=[*_rows(buttons, 2), [close]])


def quiet_kb(t: Translator) -> InlineKeyboardMarkup:
    buttons = [_pref(v.replace("-", "–"), "quiet", v, "s") for v in QUIET_CHOICES]
    off = _pref(t("quiet-off-button"), "quiet", "off", "s")
    return InlineKeyboardMarkup(inline_keyboard=[buttons, [off], _skip_row(t, "quiet", "s")])


def reminders_kb(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    rows = [
        [_pref(t("lead-button", days=int(v)), "lead", v, "s") for v in LEAD_CHOICES],
        [_pref(t("cadence-key-button", days=int(v)), "ck", v, "s") for v in CADENCE_KEY_CHOICES],
        [
            _pref(t("cadence-regular-button", days=int(v)), "cr", v, "s")
            for v in CADENCE_REGULAR_CHOICES
        ],
        _skip_row(t, "reminders", "s"),
    ]
    for row in rows:
        builder.row(*row)
    return builder.as_markup()
