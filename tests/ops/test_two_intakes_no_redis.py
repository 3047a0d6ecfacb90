"""Two `serve` intakes on one PostgreSQL, with and without Redis (issue 11): one update that
reaches both intakes at once (Telegram retrying to the other instance while the first still
works on it) is handled once and answered once, and a double tap whose two callbacks (two
update ids, one button) reach the two intakes at once acts once and is answered "already
saved", not with an apology. Both intakes are real `python -m bot serve` processes against the
fake Bot API; every POST of a round goes out at the same moment.

Without Redis nothing but the database is shared: before the fix both intakes read "not
processed yet", both replied, and the loser's commit failed on the unique key (an apology as a
second answer). Different chats must still be handled side by side, and one chat's updates one
at a time across the intakes, as on one intake."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.callbacks import TapCb
from bot.i18n import translator
from storage.db import create_engine
from storage.models import Client, Interaction, Manager
from tests.fakes.telegram_api import QUERY_TOO_OLD, Call, FakeTelegramAPI, bad_request
from tests.ops import scale_support as scale
from tests.ops.support import (
    IN_CI,
    ON_POSTGRES,
    REDIS_TEST_URL,
    SECRET,
    Role,
    free_port,
    fresh_postgres,
    message_update,
)
from tests.support.mocked_bot import BOT_ID

pytestmark = ON_POSTGRES

ROUNDS = 10
SAME_UPDATE_USERS = 5  # each round: one update of each, posted to both intakes at once
TAP_USERS = 3
SIDE_BY_SIDE = 16  # different chats at once, each reply answered a second late
ONE_CHAT = 4  # one chat's updates at once, alternately to the two intakes
REPLY_DELAY = 1.0
THROUGHPUT_BATCHES = 5
MANAGERS = SAME_UPDATE_USERS + TAP_USERS + SIDE_BY_SIDE + 1
FIRST_UPDATE_ID = 9_000_001
T = translator("ru")  # the seeded managers speak Russian


@dataclass
class Intakes:
    api: FakeTelegramAPI
    url: str
    roles: list[Role]
    hooks: list[str]
    with_redis: bool


def _redis_or_skip() -> str:
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        scale.flush_redis(REDIS_TEST_URL)
    except RedisConnectionError as exc:
        if IN_CI:
            raise
        pytest.skip(f"no Redis at {REDIS_TEST_URL} (required in CI): {exc}")
    return REDIS_TEST_URL


@pytest.fixture(scope="module", params=["without-redis", "with-redis"])
def intakes(
    request: pytest.FixtureRequest, api: FakeTelegramAPI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Intakes]:
    redis = _redis_or_skip() if request.param == "with-redis" else None
    url = fresh_postgres()
    scale.seed(url, MANAGERS, reminders_each=0)
    api.reset()
    workdir = tmp_path_factory.mktemp(request.param)
    roles, hooks = [], []
    for n in (1, 2):
        port = free_port()
        env = {
            "DATABASE_URL": url,
            "WEBHOOK_URL": scale.HOOK_URL,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_PORT": str(port),
            **({"REDIS_URL": redis} if redis else {}),
        }
        roles.append(Role(api, workdir / f"serve{n}", ["serve"], env=env, health_port=port))
        hooks.append(f"http://127.0.0.1:{port}/telegram/webhook")
    scale.start_all(roles)
    try:
        yield Intakes(api, url, roles, hooks, redis is not None)
    finally:
        codes = [role.stop() for role in roles]
        assert codes == [0, 0], "\n".join(role.log()[-3000:] for role in roles)


# ---------------------------------------------------------------- posting


async def _post_all(posts: list[tuple[str, dict[str, Any]]]) -> list[int]:
    """Every (hook, update) POSTed at the same moment; their HTTP statuses."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    timeout = aiohttp.ClientTimeout(total=90)
    async with aiohttp.ClientSession(timeout=timeout) as http:

        async def one(hook: str, update: dict[str, Any]) -> int:
            async with http.post(hook, json=update, headers=headers) as response:
                await response.read()
                return response.status

        return list(await asyncio.gather(*(one(hook, update) for hook, update in posts)))


def post_all(posts: list[tuple[str, dict[str, Any]]]) -> list[int]:
    return asyncio.run(_post_all(posts))


def _russian(update: dict[str, Any]) -> dict[str, Any]:
    update["message"]["from"]["language_code"] = "ru"
    return update


class _CallbackQueries:
    """Telegram's rule for the callbacks posted here (the fake knows only those it pushed
    itself): a query id Telegram issued, answered at most once."""

    def __init__(self) -> None:
        self._answered: dict[str, bool] = {}
        self._lock = threading.Lock()

    def issue(self) -> str:
        with self._lock:
            query_id = f"q{len(self._answered) + 1}"
            self._answered[query_id] = False
            return query_id

    def answer(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        with self._lock:
            if self._answered.get(query_id, True):
                raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
            self._answered[query_id] = True
        return True


def _tap(
    update_id: int, query_id: str, user: int, message: dict[str, Any], data: str
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": query_id,
            "from": {"id": user, "is_bot": False, "first_name": "Ops", "language_code": "ru"},
            "chat_instance": f"ci{user}",
            "data": data,
            "message": {
                "message_id": message["message_id"],
                "date": message["date"],
                "chat": {"id": user, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kambot"},
                "text": message.get("text", ""),
            },
        },
    }


def _sends(calls: list[Call]) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in calls if c.method == "sendMessage" and c.ok)


# ---------------------------------------------------------------- the database


async def _clients(url: str, users: list[int]) -> dict[int, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(Manager.telegram_id, Client.id)
                .join(Client, Client.owner_id == Manager.id)
                .where(Manager.telegram_id.in_(users))
            )
            return {int(user): int(client) for user, client in rows}
    finally:
        await engine.dispose()


async def _touches(url: str, client_ids: list[int]) -> Counter[int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(Interaction.client_id, func.count())
                .where(Interaction.client_id.in_(client_ids))
                .group_by(Interaction.client_id)
            )
            return Counter({int(client): int(n) for client, n in rows})
    finally:
        await engine.dispose()


# ---------------------------------------------------------------- the tests


def test_one_update_on_both_intakes_is_answered_once(intakes: Intakes) -> None:
    """Every round one update of each user goes to both intakes at once: a /call that stores a
    touch (rounds 1, 3, ...) or /help that stores nothing (2, 4, ...), whose reply used to be
    sent by both."""
    users = scale.telegram_ids(MANAGERS)[:SAME_UPDATE_USERS]
    api, hooks = intakes.api, intakes.hooks
    update_ids = iter(range(FIRST_UPDATE_ID, FIRST_UPDATE_ID + 1_000_000))
    twice: list[tuple[int, dict[int, int]]] = []
    tokens: list[str] = []
    statuses: Counter[int] = Counter()
    for round_no in range(ROUNDS):
        posts = []
        for user in users:
            update_id = next(update_ids)
            if round_no % 2 == 0:
                i = user - scale.FIRST_TELEGRAM_ID
                text = scale.TOUCH_TEXT.format(i=i, update_id=update_id)
                tokens.append(scale.TOUCH_MARK.format(update_id=update_id))
            else:
                text = "/help"
            update = _russian(message_update(update_id, user, text))
            posts += [(hook, update) for hook in hooks]
        mark = api.mark()
        statuses.update(post_all(posts))
        replies = _sends(api.calls()[mark:])
        if replies != Counter(dict.fromkeys(users, 1)):
            twice.append((round_no, dict(replies)))
    assert statuses == Counter({200: ROUNDS * SAME_UPDATE_USERS * 2}), statuses
    assert not twice, f"{len(twice)} of {ROUNDS} rounds answered an update twice: {twice}"
    touches = scale.touch_counts(intakes.url)
    assert {t: touches[t] for t in tokens} == dict.fromkeys(tokens, 1)
    processed = scale.processed(intakes.url, list(range(FIRST_UPDATE_ID, next(update_ids))))
    assert len(processed) == ROUNDS * SAME_UPDATE_USERS


def test_a_double_tap_on_both_intakes_acts_once(intakes: Intakes) -> None:
    """The outcome button of /log (client → kind → outcome), pressed twice: two callbacks, two
    update ids, one to each intake at once. One touch; one "saved", one "already saved"."""
    users = scale.telegram_ids(MANAGERS)[SAME_UPDATE_USERS : SAME_UPDATE_USERS + TAP_USERS]
    api, hooks = intakes.api, intakes.hooks
    clients = asyncio.run(_clients(intakes.url, users))
    first = FIRST_UPDATE_ID + 2_000_000
    update_ids = iter(range(first, first + 1_000_000))
    saved, again = T("saved-toast"), T("tap-already-saved")
    queries = _CallbackQueries()
    api.set_handler("answerCallbackQuery", queries.answer)
    wrong: list[tuple[int, list[str]]] = []
    for round_no in range(ROUNDS):
        pickers = {}
        for user in users:  # a fresh /log message to press under, each round
            mark = api.mark()
            assert post_all(
                [(hooks[round_no % 2], _russian(message_update(next(update_ids), user, "/log")))]
            ) == [200]
            [picker] = [c.result for c in api.calls()[mark:] if c.method == "sendMessage"]
            pickers[user] = picker
        posts = []
        for user in users:
            data = TapCb(id=clients[user], kind="call", outcome="positive").pack()
            posts += [
                (hook, _tap(next(update_ids), queries.issue(), user, pickers[user], data))
                for hook in hooks
            ]
        mark = api.mark()
        assert post_all(posts) == [200] * len(posts)
        answers = [c for c in api.calls()[mark:] if c.method == "answerCallbackQuery"]
        for user in users:
            ids = {
                post[1]["callback_query"]["id"]
                for post in posts
                if post[1]["callback_query"]["from"]["id"] == user
            }
            texts = sorted(
                str(c.params.get("text")) for c in answers if c.params["callback_query_id"] in ids
            )
            if texts != sorted([saved, again]):
                wrong.append((round_no, texts))
    touches = asyncio.run(_touches(intakes.url, list(clients.values())))
    assert touches == Counter(dict.fromkeys(clients.values(), ROUNDS)), "a double tap acted twice"
    assert not wrong, f"{len(wrong)} double taps not answered 'saved' + 'already saved': {wrong}"


def test_different_chats_side_by_side_one_chat_in_turn(intakes: Intakes) -> None:
    """Each reply is answered by the fake Bot API a second late. Sixteen chats' updates at once
    over the two intakes finish in about a second (nothing serialises different chats); four
    updates of one chat, two to each intake, take four seconds: one at a time across both."""
    api, hooks = intakes.api, intakes.hooks
    users = scale.telegram_ids(MANAGERS)[-SIDE_BY_SIDE - 1 :]
    one_chat, others = users[0], users[1:]
    first = FIRST_UPDATE_ID + 4_000_000
    many = [
        (hooks[n % 2], _russian(message_update(first + n, user, "/help")))
        for n, user in enumerate(others)
    ]
    same = [
        (hooks[n % 2], _russian(message_update(first + 100 + n, one_chat, "/help")))
        for n in range(ONE_CHAT)
    ]
    post_all(many[:2])  # warm both intakes' pools up
    # A figure, not a check: updates of different chats a second with no reply delay.
    started = time.monotonic()
    for batch in range(THROUGHPUT_BATCHES):
        post_all(
            [
                (hook, {**update, "update_id": update["update_id"] + 1_000 * (batch + 1)})
                for hook, update in many
            ]
        )
    throughput = THROUGHPUT_BATCHES * len(many) / (time.monotonic() - started)
    api.delay_answers("sendMessage", REPLY_DELAY)
    try:
        started = time.monotonic()
        assert post_all(many[2:]) == [200] * (len(many) - 2)
        side_by_side = time.monotonic() - started
        started = time.monotonic()
        assert post_all(same) == [200] * ONE_CHAT
        in_turn = time.monotonic() - started
    finally:
        api.delay_answers("sendMessage", 0)
    serial = (len(many) - 2) * REPLY_DELAY
    print(
        f"redis={intakes.with_redis}: {len(many) - 2} chats at once in {side_by_side:.2f} s "
        f"({serial:.0f} s if serialised); {ONE_CHAT} updates of one chat in {in_turn:.2f} s; "
        f"undelayed {throughput:.1f} updates/s"
    )
    assert side_by_side < serial / 3, side_by_side
    assert in_turn >= ONE_CHAT * REPLY_DELAY * 0.95, in_turn
