"""Money and percents for people — the one place every reply, chart and export formats them.

Money: 1 250 000 ₽ for Russian readers, ₽1,250,000 for English ones. Babel formats the number
per locale; the symbol is the manager's own currency (`Manager.currency`, set once and stored
with every sale and plan), never a ₽ written into a text. Babel's English data spells the rouble
"RUB", while the product shows ₽ in both languages, hence our own symbols.

- An amount is shown exactly as stored: kopecks only when it has some ("400 000,50 ₽"), so the
  same sale reads the same in /sale, /kpi, /brief and the card.
- A derived figure (an average, a forecast) is a `Fraction`: it is shown to the whole unit, as
  its kopecks mean nothing.

Percents: one rounding rule — whole percents, truncated toward zero. A shown percent never
claims a mark that was not reached: 99.9 % of a plan reads "99 %" while anything is short,
and a fall of 0.4 % reads "0 %", not "−1 %". Babel places the sign per locale ("40 %" / "40%").
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_compact_decimal, format_decimal, get_currency_symbol
from babel.numbers import format_percent as babel_percent

SYMBOLS = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "GBP": "£", "CNY": "¥"}


def format_money(minor: int | Fraction, currency: str, lang: str) -> str:
    if isinstance(minor, Fraction):
        minor = round(minor / 100) * 100  # a derived figure: to the whole unit
    major = Decimal(minor) / 100
    pattern = "#,##0" if major == major.to_integral_value() else "#,##0.00"
    number = format_decimal(major, format=pattern, locale=lang)
    symbol = SYMBOLS.get(currency) or get_currency_symbol(currency, locale=lang)
    return _place(number, symbol, lang)


def format_money_compact(minor: int, currency: str, lang: str) -> str:
    """1,2 млн ₽ / ₽1.2M for chart axes and titles: the same symbol and placement, shortened."""
    number = format_compact_decimal(Decimal(minor) / 100, locale=lang, fraction_digits=1)
    return _place(number, SYMBOLS.get(currency, currency), lang)


def _place(number: str, symbol: str, lang: str) -> str:
    if lang == "ru":
        return f"{number}\u00a0{symbol}"
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{sign}{symbol}{digits}"


def whole_percent(value: Fraction) -> int:
    """The rule itself: whole percents, truncated toward zero (int() of a Fraction)."""
    return int(value * 100)


def format_percent(value: Fraction, lang: str) -> str:
    """A share (1 = 100 %) as whole percents per locale: "99 %" in Russian, "99%" in English."""
    return babel_percent(Decimal(whole_percent(value)) / 100, locale=lang)


def share(part: int, whole: int | None) -> Fraction | None:
    """part ÷ whole exactly, or None without a whole (no plan: no attainment)."""
    return Fraction(part, whole) if whole else None
