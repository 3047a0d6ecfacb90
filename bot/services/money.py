"""Money for people: 1 250 000 ₽ for Russian readers, ₽1,250,000 for English ones.

Babel formats the number per locale. The symbol is ours for the currencies our users have:
Babel's English data spells the rouble "RUB", while the product shows ₽ in both languages.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal, get_currency_symbol

SYMBOLS = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "GBP": "£", "CNY": "¥"}


def format_money(minor: int, currency: str, lang: str) -> str:
    major = Decimal(minor) / 100
    pattern = "#,##0" if major == major.to_integral_value() else "#,##0.00"
    number = format_decimal(major, format=pattern, locale=lang)
    symbol = SYMBOLS.get(currency) or get_currency_symbol(currency, locale=lang)
    if lang == "ru":
        return f"{number}\u00a0{symbol}"
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{sign}{symbol}{digits}"
