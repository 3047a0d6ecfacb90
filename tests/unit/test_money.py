import pytest

from bot.services.money import format_money


@pytest.mark.parametrize(
    ("minor", "currency", "lang", "expected"),
    [
        (125_000_000, "RUB", "ru", "1\u00a0250\u00a0000\u00a0₽"),
        (125_000_000, "RUB", "en", "₽1,250,000"),
        (15_000_050, "RUB", "ru", "150\u00a0000,50\u00a0₽"),
        (0, "RUB", "ru", "0\u00a0₽"),
        (-50_000, "USD", "en", "-$500"),
        (99, "EUR", "en", "€0.99"),
    ],
)
def test_format_money(minor: int, currency: str, lang: str, expected: str) -> None:
    assert format_money(minor, currency, lang) == expected
