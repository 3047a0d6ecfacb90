"""Phrasing corpus: which client a message names (issue 15: names with suffixes, case forms,
typos, Latin/Cyrillic, no-colon forms). Checked through ``quicklog.find_client``, the service
every log message goes through, against one realistic base.

Readings:
- ("client", name): logged to that client without asking;
- ("new", typed): nothing found, the bot offers to create ``typed`` (compared by dedupe key);
- ("ask", parent): the bot asks whether it is ``parent`` or a new client.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.crm import clients as client_service
from bot.services.crm import quicklog
from bot.services.parsing.names import normalize_name
from storage.models import Manager

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
BASE = (
    "Ромашка",
    "Ромашка-Юг",
    "Искра",
    "Вектор",
    "Технопром",
    "Гамма",
    "Северная звезда",
    "Northwind",
    "Уралсталь",
    "Лютик",
)

Reading = tuple[str, str]
CORPUS: list[tuple[str, Reading] | object] = [
    # A longer exact name wins over its parent.
    ("ромашка юг обсудили отгрузку", ("client", "Ромашка-Юг")),
    ("Ромашка-Юг: обсудили отгрузку", ("client", "Ромашка-Юг")),
    ("ромашка юг, перезвонить в понедельник", ("client", "Ромашка-Юг")),
    ("ромашко юг обсудили", ("client", "Ромашка-Юг")),
    ("romashka yug: call back on monday", ("client", "Ромашка-Юг")),
    ("Ромашка Юг", ("client", "Ромашка-Юг")),
    # The parent itself, with or without a colon, legal form, typo, Latin.
    ("ромашка обсудили поставку, КП в пятницу", ("client", "Ромашка")),
    ("Ромашка: обсудили поставку", ("client", "Ромашка")),
    ("ООО Ромашка: обсудили поставку", ("client", "Ромашка")),
    ("ООО «Ромашка» обсудили поставку", ("client", "Ромашка")),
    ("ромашко обсудили поставку", ("client", "Ромашка")),
    ("Romashka: discussed delivery", ("client", "Ромашка")),
    ("emailed Romashka about the contract", ("client", "Ромашка")),
    ("ромашка", ("client", "Ромашка")),
    # Case forms.
    ("звонил Ромашке, договорились о встрече", ("client", "Ромашка")),
    ("встреча с Ромашкой в офисе", ("client", "Ромашка")),
    ("вчера звонил в Технопром, отказ", ("client", "Технопром")),
    ("у Технопрома проблемы с оплатой", ("client", "Технопром")),
    ("Гамме отправил счёт", ("client", "Гамма")),
    ("с Гаммой договорились о скидке", ("client", "Гамма")),
    ("вчера звонил в Гамму, обсудили цены", ("client", "Гамма")),
    ("Уралстали звонил, обсудили объёмы", ("client", "Уралсталь")),
    ("звонил в Уралсталь, обсудили объёмы", ("client", "Уралсталь")),
    ("встреча с Северной звездой в офисе", ("client", "Северная звезда")),
    # Plain names, typos, Latin for Cyrillic and back.
    ("Гамма обсудили поставку, КП в пятницу", ("client", "Гамма")),
    ("гамма: КП отправил", ("client", "Гамма")),
    ("гама обсудили поставку", ("client", "Гамма")),
    ("Gamma: discussed the price", ("client", "Гамма")),
    ("met Gamma at the office", ("client", "Гамма")),
    ("Technoprom: no answer", ("client", "Технопром")),
    ("технопром", ("client", "Технопром")),
    ("Northwind: discussed the contract", ("client", "Northwind")),
    ("called Northwind, no answer", ("client", "Northwind")),
    ("нортвинд перезвонить завтра", ("client", "Northwind")),
    ("Северная звезда обсудили цены", ("client", "Северная звезда")),
    ("Искра: отгрузили", ("client", "Искра")),
    ("искра обсудили цены", ("client", "Искра")),
    ("Вектор перезвонить завтра", ("client", "Вектор")),
    ("Лютик: день рождения директора", ("client", "Лютик")),
    # A suffix the base does not have: a new client, never the parent.
    ("Искра-2 обсудили цены", ("new", "Искра-2")),
    ("Вектор-М: прислали КП", ("new", "Вектор-М")),
    ("Ромашка СПб: встреча в офисе", ("new", "Ромашка СПб")),
    ("Ромашка «Север»: договор подписан", ("new", "Ромашка Север")),
    ("Технопром Урал: новый филиал", ("new", "Технопром Урал")),
    ("Лютик 2: встреча", ("new", "Лютик 2")),
    ("Гамма М: отказ", ("new", "Гамма М")),
    ("northwind west: new office", ("new", "northwind west")),
    ("Iskra-2: sent the offer", ("new", "Iskra-2")),
    ("Gamma 2: contract signed", ("new", "Gamma 2")),
    ("Северная звезда-2: поставка", ("new", "Северная звезда 2")),
    # A word after the name that may belong to it: ask with both options.
    ("вектор м прислали КП", ("ask", "Вектор")),
    ("искра 2 прислали КП", ("ask", "Искра")),
    ("ромашка спб обсудили поставку", ("ask", "Ромашка")),
    ("лютик 2 встреча в офисе", ("ask", "Лютик")),
    ("Northwind West discussed pricing", ("ask", "Northwind")),
    ("Romashka SPb discussed delivery", ("ask", "Ромашка")),
    ("гамма плюс обсудили поставку", ("ask", "Гамма")),
    # Nobody like it in the base: the offered name stops before the text.
    ("Омега обсудили поставку, КП в пятницу", ("new", "Омега")),
    ("Omega discussed pricing", ("new", "Omega")),
    ("Дельта: первый звонок", ("new", "Дельта")),
    ("Альфа Плюс обсудили поставку", ("new", "Альфа Плюс")),
    ("Бета договорились о встрече в среду", ("new", "Бета")),
    ("вчера встречались с Дельтой, обсудили цены", ("new", "Дельта")),
    ("звонил в Сигму, не дозвонился", ("new", "Сигма")),
    ("встреча с Лукойлом в четверг", ("new", "Лукойл")),
]

_results: list[bool] = []


@pytest.fixture(scope="module", autouse=True)
def _share(pytestconfig: pytest.Config) -> Iterator[None]:
    yield
    if _results:
        line = f"corpus names: {sum(_results)}/{len(_results)} understood"
        reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            # Teardown output is captured; the share must show without -s too.
            with capture.global_and_fixture_disabled():
                reporter.ensure_newline()
                reporter.write_line(line)
        else:
            print(line)


def _reads(found: quicklog.Found, reading: Reading) -> bool:
    what, name = reading
    if what == "client":
        return found.client is not None and found.client.name == name
    if found.client is not None:
        return False
    if what == "new":
        return found.lookup.kind == "none" and normalize_name(found.query) == normalize_name(name)
    return found.lookup.kind == "ambiguous" and name in [m.name for m in found.lookup.matches]


@pytest.mark.parametrize(("text", "reading"), CORPUS)
async def test_corpus_names(
    text: str, reading: Reading, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    async with session_pool() as session:
        manager = Manager(telegram_id=1, full_name="М")
        session.add(manager)
        await session.commit()
        for name in BASE:
            await client_service.create(session, manager, name, NOW)
        found = await quicklog.find_client(session, manager, text)
    ok = _reads(found, reading)
    _results.append(ok)
    assert ok, (found.client, found.lookup.kind, found.query, found.rest)
