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
from handlers.callbacks import Flow, PrefCb, PrefField, SettingsCb, SettingsItem

DIGEST_CHOICES = ("07:00", "08:00", "09:00", "10:00")
QUIET_CHOICES = ("21-08", "22-07", "23-08")
LEAD_CHOICES = ("0", "1", "3", "7", "14")
CADENCE_KEY_CHOICES = ("7", "14", "30")
CADENCE_REGULAR_CHOICES = ("14", "30", "60", "90")
WORK_MODES = ("b2b", "b2c", "kam")
SKIP = "skip"  # the value of a "skip this step" button
SETTINGS_MENU = (
    SettingsItem.LANGUAGE,
    SettingsItem.TIMEZONE,
    SettingsItem.MODE,
    SettingsItem.DIGEST,
    SettingsItem.QUIET,
    SettingsItem.REMINDERS,
)


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


def _pref(text: str, field: PrefField, value: str, flow: Flow) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=PrefCb(field=field, value=value, flow=flow).pack()
    )


def _back_row(t: Translator) -> list[InlineKeyboardButton]:
    menu = SettingsCb(item=SettingsItem.MENU).pack()
    return [InlineKeyboardButton(text=t("btn-back"), callback_data=menu)]


def _skip_row(t: Translator, field: PrefField, flow: Flow) -> list[InlineKeyboardButton]:
    # In /settings a question is left by going back to the menu, not by skipping it.
    if flow == Flow.SETTINGS:
        return _back_row(t)
    return [_pref(t("btn-skip"), field, SKIP, flow)]


def language_kb(t: Translator, flow: Flow) -> InlineKeyboardMarkup:
    lang = PrefField.LANGUAGE
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_pref("🇷🇺 Русский", lang, "ru", flow), _pref("🇬🇧 English", lang, "en", flow)],
            _skip_row(t, lang, flow),
        ]
    )


def work_mode_kb(t: Translator, flow: Flow) -> InlineKeyboardMarkup:
    field = PrefField.MODE
    rows = [[_pref(t(f"mode-{mode}-button"), field, mode, flow)] for mode in WORK_MODES]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _skip_row(t, field, flow)])


def digest_kb(t: Translator, flow: Flow) -> InlineKeyboardMarkup:
    field = PrefField.DIGEST
    buttons = [_pref(v, field, v.replace(":", ""), flow) for v in DIGEST_CHOICES]
    return InlineKeyboardMarkup(inline_keyboard=[*_rows(buttons, 4), _skip_row(t, field, flow)])


def timezone_suggestions_kb(
    t: Translator, flow: Flow, zones: Sequence[tuple[str, str]]
) -> InlineKeyboardMarkup:
    field = PrefField.TIMEZONE
    rows = [[_pref(label, field, zone, flow)] for zone, label in zones]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _skip_row(t, field, flow)])


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
    buttons = [
        InlineKeyboardButton(
            text=t(f"settings-btn-{item}"), callback_data=SettingsCb(item=item).pack()
        )
        for item in SETTINGS_MENU
    ]
    close_data = SettingsCb(item=SettingsItem.CLOSE).pack()
    close = InlineKeyboardButton(text=t("btn-close"), callback_data=close_data)
    return InlineKeyboardMarkup(inline_keyboard=[*_rows(buttons, 2), [close]])


def quiet_kb(t: Translator) -> InlineKeyboardMarkup:
    quiet, flow = PrefField.QUIET, Flow.SETTINGS
    buttons = [_pref(v.replace("-", "–"), quiet, v, flow) for v in QUIET_CHOICES]
    off = _pref(t("quiet-off-button"), quiet, "off", flow)
    return InlineKeyboardMarkup(inline_keyboard=[buttons, [off], _back_row(t)])


def reminders_kb(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    lead, key, regular, flow = (
        PrefField.BIRTHDAY_LEAD,
        PrefField.CADENCE_KEY,
        PrefField.CADENCE_REGULAR,
        Flow.SETTINGS,
    )
    rows = [
        [_pref(t("lead-button", days=int(v)), lead, v, flow) for v in LEAD_CHOICES],
        [_pref(t("cadence-key-button", days=int(v)), key, v, flow) for v in CADENCE_KEY_CHOICES],
        [
            _pref(t("cadence-regular-button", days=int(v)), regular, v, flow)
            for v in CADENCE_REGULAR_CHOICES
        ],
        _back_row(t),
    ]
    for row in rows:
        builder.row(*row)
    return builder.as_markup()
