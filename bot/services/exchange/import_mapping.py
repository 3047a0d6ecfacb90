"""Which column of a manager's table is which field: ru/en header names, near-miss spellings."""

from __future__ import annotations

from typing import Final

from rapidfuzz import fuzz, process

from bot.services.exchange.import_model import ColumnMapping
from bot.services.exchange.import_readers import header_key as _header_key

_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "client": (
        "клиент", "компания", "организация", "наименование", "название", "контрагент",
        "название компании", "наименование организации", "наименование клиента",
        "название клиента", "имя клиента", "client", "company", "account", "organization",
        "organisation", "customer", "client name", "company name", "account name",
        "customer name",
    ),
    "tax_id": ("инн", "инн клиента", "инн организации", "inn", "tax id", "taxid", "tin", "vat",
               "vat id", "vat number"),
    "phone": ("телефон", "тел", "телефон компании", "телефон клиента", "номер телефона",
              "phone", "tel", "telephone", "phone number", "company phone"),
    "contact_name": ("контакт", "лпр", "контактное лицо", "фио контакта", "имя контакта",
                     "фио лпр", "contact", "contact name", "contact person", "decision maker",
                     "person"),
    "contact_role": ("должность", "роль", "должность контакта", "role", "position", "title",
                     "job title"),
    "contact_phone": ("телефон контакта", "тел контакта", "моб", "мобильный", "моб тел",
                      "моб телефон", "мобильный телефон", "сотовый", "телефон лпр",
                      "contact phone", "mobile", "mobile phone", "cell", "cell phone"),
    "contact_email": ("email", "e mail", "почта", "эл почта", "электронная почта", "емейл",
                      "имейл", "e mail контакта", "email контакта", "mail", "email address",
                      "e mail address"),
    "birthday": ("день рождения", "др", "дата рождения", "birthday", "dob", "date of birth",
                 "birth date", "birthdate"),
    "tags": ("теги", "тэги", "метки", "тег", "tags", "labels", "tag"),
    "segment": ("сегмент", "тип клиента", "segment", "client type"),
    "tier": ("уровень", "категория", "ключевой", "ключевой клиент", "tier", "key account",
             "key", "vip"),
    "status": ("статус", "состояние", "status"),
    "cadence": ("частота контакта", "частота контакта дней", "частота контактов", "частота",
                "каденция", "интервал", "интервал дней", "cadence", "cadence days",
                "contact frequency", "frequency"),
    "channel": ("канал", "предпочтительный канал", "канал связи", "channel",
                "preferred channel"),
}  # fmt: skip
# A bare "name" is the client when nothing else names the client (a B2C base, where the client
# is a person), else the contact.
_PERSON_ALIASES: Final = ("name", "full name", "имя", "фио", "полное имя")
# Written by our export for information; recognised so they are not reported as unknown.
_INFO_ALIASES: Final = ("id", "архив", "в архиве", "archived", "ответственный", "владелец",
                        "owner", "создан", "дата создания", "created", "created at")  # fmt: skip
# Near-miss spellings ("Телефн", "Email адресс") within this score are accepted; shorter headers
# are too close to each other for fuzzy matching ("тел" vs "тег").
_FUZZY_CUTOFF: Final = 90.0
_FUZZY_MIN_LENGTH: Final = 5


def _compact(key: str) -> str:
    return key.replace(" ", "")


_ALIAS_INDEX: Final[dict[str, str]] = {
    _compact(_header_key(alias)): name for name, aliases in _ALIASES.items() for alias in aliases
}
_FUZZY_CHOICES: Final = list(_ALIAS_INDEX)
_PERSON_KEYS: Final = frozenset(_compact(_header_key(alias)) for alias in _PERSON_ALIASES)
_INFO_KEYS: Final = frozenset(_compact(_header_key(alias)) for alias in _INFO_ALIASES)


def map_columns(headers: list[str]) -> ColumnMapping:
    """Recognise each header; the first column wins when two mean the same field."""
    columns: dict[str, int] = {}
    pending: list[int] = []
    person: list[int] = []
    not_imported: list[str] = []
    for index, header in enumerate(headers):
        key = _compact(_header_key(header))
        if not key:
            continue
        name = _ALIAS_INDEX.get(key)
        if name is not None and name not in columns:
            columns[name] = index
        elif key in _PERSON_KEYS:
            person.append(index)
        elif key in _INFO_KEYS:
            not_imported.append(header)
        else:
            pending.append(index)
    for index in person:
        name = next((f for f in ("client", "contact_name") if f not in columns), None)
        if name is None:
            pending.append(index)
        else:
            columns[name] = index
    ignored = [
        headers[index] for index in sorted(pending) if not _fuzzy_map(headers, index, columns)
    ]
    return ColumnMapping(
        columns=dict(sorted(columns.items(), key=lambda item: item[1])),
        ignored=ignored,
        not_imported=not_imported,
    )


def _fuzzy_map(headers: list[str], index: int, columns: dict[str, int]) -> bool:
    key = _compact(_header_key(headers[index]))
    if len(key) < _FUZZY_MIN_LENGTH:
        return False
    match = process.extractOne(key, _FUZZY_CHOICES, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    if match is None or _ALIAS_INDEX[match[0]] in columns:
        return False
    columns[_ALIAS_INDEX[match[0]]] = index
    return True
