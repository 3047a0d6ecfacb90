"""The demo generator's realism invariants, checked on the generated data by hand-written rules
(not by the KPI code), for several moments and timezones."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.services.sample.demo_data import DemoData, generate
from storage.enums import ClientStatus, PeriodKind, Tier

MOMENTS = [
    ("Europe/Moscow", datetime(2026, 11, 28, 6, 0, tzinfo=UTC)),  # the flows' Saturday morning
    ("Europe/Moscow", datetime(2026, 11, 30, 21, 5, tzinfo=UTC)),  # 00:05 on 1 December
    ("Europe/Moscow", datetime(2026, 12, 31, 21, 1, tzinfo=UTC)),  # 00:01 on 1 January
    ("Asia/Vladivostok", datetime(2027, 3, 15, 2, 0, tzinfo=UTC)),
    ("America/New_York", datetime(2027, 2, 28, 23, 30, tzinfo=UTC)),  # 18:30 on 28 February
    ("Europe/Moscow", datetime(2028, 2, 29, 12, 0, tzinfo=UTC)),  # a leap day
]
CYRILLIC_NAME = re.compile(r"^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+(вич|вна|ична|ьич)$")


def _local(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def _month_start(day: date) -> date:
    return day.replace(day=1)


@pytest.fixture(params=MOMENTS, ids=lambda m: f"{m[0]}-{m[1]:%Y%m%d%H%M}")
def sample(request: pytest.FixtureRequest) -> tuple[DemoData, datetime, str]:
    zone, now = request.param
    return generate(now, zone), now, zone


def test_shape_every_client_has_one_to_three_contacts_with_russian_names(
    sample: tuple[DemoData, datetime, str],
) -> None:
    data, _, _ = sample
    assert len(data.clients) == 25
    assert len({c.name for c in data.clients}) == 25
    for client in data.clients:
        assert 1 <= len(client.contacts) <= 3, client.name
        for person in client.contacts:
            assert CYRILLIC_NAME.match(person.name), person.name
            assert person.role
    assert sum(c.tier == Tier.KEY for c in data.clients) >= 3
    assert any(c.name.startswith("ООО «") for c in data.clients)
    assert any(c.name.startswith("ИП ") for c in data.clients)


def test_nothing_is_in_the_future_and_amounts_are_positive_whole_roubles(
    sample: tuple[DemoData, datetime, str],
) -> None:
    data, now, _ = sample
    for c in data.clients:
        assert c.created_at <= now
        for t in c.touches:
            assert c.created_at <= t.occurred_at <= now
            if t.next_step_done_at is not None:
                assert t.next_step_done_at <= now
        for s in c.sales:
            assert s.amount_minor > 0
            assert s.amount_minor % 100 == 0  # whole roubles
            assert now - timedelta(days=370) <= s.sold_at <= now
            assert s.product_line
        for n in c.notes:
            assert n.created_at <= now
            assert n.tags
            assert all(f"#{tag}" in n.text for tag in n.tags)
        for r in c.requests:
            assert r.opened_at <= now
            for stamp in (r.first_response_at, r.resolved_at):
                assert stamp is None or r.opened_at <= stamp <= now
            if r.review is not None:
                assert r.review.created_at <= now
        for v in c.reviews:
            assert v.created_at <= now


def test_the_current_month_is_under_way_between_40_and_90_percent_of_its_plan(
    sample: tuple[DemoData, datetime, str],
) -> None:
    data, now, zone = sample
    this_month = _month_start(_local(now, zone))
    [plan] = [p for p in data.plans if p.kind == PeriodKind.MONTH]
    assert plan.start == this_month
    sold = sum(
        s.amount_minor
        for c in data.clients
        for s in c.sales
        if _month_start(_local(s.sold_at, zone)) == this_month
    )
    assert 0.40 <= sold / plan.amount_minor <= 0.90
    # The plan is in line with what the base bought in the previous months (within ±40%).
    by_month: dict[date, int] = defaultdict(int)
    for c in data.clients:
        for s in c.sales:
            by_month[_month_start(_local(s.sold_at, zone))] += s.amount_minor
    previous = sorted(m for m in by_month if m < this_month)[-3:]
    average = sum(by_month[m] for m in previous) / 3
    assert 0.6 * average <= plan.amount_minor <= 1.4 * average
    kinds = {p.kind for p in data.plans}
    assert kinds == {PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR}
    assert all(p.amount_minor > 0 for p in data.plans)
    key_plans = [p for c in data.clients if c.tier == Tier.KEY for p in c.plans]
    assert key_plans
    assert all(c.plans == [] for c in data.clients if c.tier != Tier.KEY)


def test_a_living_base_overdue_clients_open_promises_birthdays_and_at_risk_clients(
    sample: tuple[DemoData, datetime, str],
) -> None:
    data, now, zone = sample
    today = _local(now, zone)

    def cadence(c: object) -> int:
        assert hasattr(c, "tier")
        return c.cadence_days or (7 if c.tier == Tier.KEY else 30)  # type: ignore[attr-defined]

    overdue = [
        c
        for c in data.clients
        if c.status == ClientStatus.ACTIVE
        and c.last_touch_at is not None
        and c.last_touch_at + timedelta(days=cadence(c)) < now
    ]
    assert 2 <= len(overdue) <= 8
    # About six months of touches, with a rhythm: key accounts are touched most.
    touches = {c.name: c.touches for c in data.clients}
    assert all(touches.values())
    oldest = min(t.occurred_at for ts in touches.values() for t in ts)
    assert now - timedelta(days=200) <= oldest <= now - timedelta(days=150)
    key_touches = min(len(c.touches) for c in data.clients if c.tier == Tier.KEY)
    regular_touches = max(len(c.touches) for c in data.clients if c.tier == Tier.REGULAR)
    assert key_touches > regular_touches

    open_promises = [
        t for c in data.clients for t in c.touches if t.next_step and t.next_step_done_at is None
    ]
    assert 3 <= len(open_promises) <= 8
    due_days = [_local(t.next_step_due_at, zone) for t in open_promises if t.next_step_due_at]
    assert any(d < today for d in due_days)  # one overdue
    assert any(d == today for d in due_days)
    assert any(d > today for d in due_days)

    soon = 0
    for c in data.clients:
        for p in c.contacts:
            assert p.birth_month is not None
            assert p.birth_day is not None
            nxt = date(today.year, p.birth_month, p.birth_day)
            if nxt < today:
                nxt = date(today.year + 1, p.birth_month, p.birth_day)
            soon += (nxt - today).days <= 30
    assert soon >= 3

    # At risk: the average check of the last three full months down at least 20%.
    month = _month_start(today)
    last3 = [_month_start(month - timedelta(days=1))]
    for _ in range(2):
        last3.append(_month_start(last3[-1] - timedelta(days=1)))
    falling = 0
    for c in data.clients:
        recent = [s.amount_minor for s in c.sales if _month_start(_local(s.sold_at, zone)) in last3]
        older = [
            s.amount_minor for s in c.sales if _month_start(_local(s.sold_at, zone)) < min(last3)
        ]
        if recent and older and sum(recent) / len(recent) <= 0.8 * sum(older) / len(older):
            falling += 1
    assert falling >= 2
    # Growing clients: the last three months sold at least 20% more than months 7-9 ago.
    earlier = [_month_start(month - timedelta(days=1))]
    for _ in range(8):
        earlier.append(_month_start(earlier[-1] - timedelta(days=1)))
    growing = 0
    for c in data.clients:
        months = [_month_start(_local(s.sold_at, zone)) for s in c.sales]
        amounts = [s.amount_minor for s in c.sales]
        late = sum(a for m, a in zip(months, amounts, strict=True) if m in earlier[:3])
        early = sum(a for m, a in zip(months, amounts, strict=True) if m in earlier[6:9])
        growing += early > 0 and late >= 1.2 * early
    assert growing >= 2
    # New product lines sold this month to clients who had never bought them.
    new_lines = 0
    for c in data.clients:
        before = {s.product_line for s in c.sales if _month_start(_local(s.sold_at, zone)) < month}
        now_lines = {
            s.product_line for s in c.sales if _month_start(_local(s.sold_at, zone)) == month
        }
        new_lines += bool(before) and bool(now_lines - before)
    assert new_lines >= 2


def test_b2c_requests_some_open_and_a_few_negative_reviews(
    sample: tuple[DemoData, datetime, str],
) -> None:
    data, _, _ = sample
    requests = [r for c in data.clients for r in c.requests]
    assert len(requests) >= 10
    assert sum(r.resolved_at is None for r in requests) >= 2
    assert any(r.first_response_at is None for r in requests)
    reviews = [r.review for r in requests if r.review] + [
        v for c in data.clients for v in c.reviews
    ]
    negative = [v for v in reviews if not v.is_positive]
    assert 2 <= len(negative) < len(reviews) / 2


def test_same_seed_same_data_other_seed_other_data() -> None:
    now = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    first = generate(now, "Europe/Moscow", seed=7)
    assert generate(now, "Europe/Moscow", seed=7) == first
    other = generate(now, "Europe/Moscow", seed=8)
    assert other != first
    assert [c.name for c in other.clients] == [c.name for c in first.clients]  # same catalogue
