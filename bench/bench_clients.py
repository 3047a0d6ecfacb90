"""Issue 3 benchmarks, printed figures (not a pass/fail test).

1. Import of a 10,000-row CSV through the real import path (parse + dedupe + insert) vs a plain
   bulk insert of the same rows into the same schema, in the same run. Goal: ratio <= 3.
2. Lookup among 10,000 clients: median time of a fuzzy search (a typo) vs an exact indexed
   lookup by normalized name, in the same run.

Run: .venv/bin/python -m bench.bench_clients
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, date, datetime

from sqlalchemy import insert

from bench.common import fresh_sqlite, median_ms, p95_ms
from bot.services.crm import clients as client_service
from bot.services.exchange import importing, transfer
from bot.services.parsing.names import normalize_name
from storage import clients as client_store
from storage.db import create_session_pool
from storage.models import Client, Contact, Manager
from tests.support.spreadsheets import csv_bytes, russian_clients

ROWS = 10_000
LOOKUPS = 200
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


async def _manager(pool) -> Manager:  # type: ignore[no-untyped-def]
    async with pool() as session:
        manager = Manager(telegram_id=1, full_name="Bench")
        session.add(manager)
        await session.commit()
        return manager


async def bench_import() -> None:
    content = csv_bytes(russian_clients(ROWS), encoding="cp1251", delimiter=";")
    print(f"CSV: {ROWS} rows, {len(content) / 1024 / 1024:.1f} MB, cp1251, ';'")

    # Real path: parse the bytes, group, dedupe against the base, insert in one transaction.
    engine = await fresh_sqlite()
    pool = create_session_pool(engine)
    manager = await _manager(pool)
    start = time.perf_counter()
    result = importing.parse_file(content, "base.csv", date(2026, 11, 28))
    parse_time = time.perf_counter() - start
    assert not result.parsed.errors, result.parsed.errors[:3]
    async with pool() as session:
        report = await transfer.apply_import(session, manager, result.clients, NOW)
    real = time.perf_counter() - start
    await engine.dispose()

    # Baseline: the same already-parsed rows, straight bulk inserts, no parsing, no dedupe.
    engine = await fresh_sqlite()
    pool = create_session_pool(engine)
    baseline_manager = await _manager(pool)
    clients = [
        {
            "owner_id": baseline_manager.id,
            "name": d.name,
            "name_norm": normalize_name(d.name),
            "segment": "b2b",
            "tier": "regular",
            "status": "active",
            "tax_id": d.tax_id,
            "phone": d.phone,
            "phone_norm": d.phone,
            "is_demo": False,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for d in result.clients
    ]
    start = time.perf_counter()
    async with pool() as session:
        rows = await session.execute(
            insert(Client)
            .returning(Client.id, Client.name_norm)
            .execution_options(render_nulls=True),
            clients,
        )
        id_of = {norm: cid for cid, norm in rows}
        ids = [id_of[c["name_norm"]] for c in clients]
        contacts = [
            {
                "client_id": i,
                "name": c.name,
                "name_norm": normalize_name(c.name),
                "role": c.role,
                "phone": c.phone,
                "email": c.email,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for i, d in zip(ids, result.clients, strict=True)
            for c in d.contacts
        ]
        await session.execute(insert(Contact).execution_options(render_nulls=True), contacts)
        await session.commit()
    baseline = time.perf_counter() - start
    await engine.dispose()

    print(
        f"import, real path:     {real:6.2f} s -> {report.created} clients, "
        f"{report.contacts_added} contacts"
    )
    print(f"  of which parsing:    {parse_time:6.2f} s, database {real - parse_time:6.2f} s")
    print(f"bulk insert baseline:  {baseline:6.2f} s")
    print(f"ratio real/baseline:   {real / baseline:6.2f}  (goal <= 3)")


async def bench_lookup() -> None:
    engine = await fresh_sqlite()
    pool = create_session_pool(engine)
    manager = await _manager(pool)
    rng = random.Random(7)
    names = [
        f"{rng.choice(['ООО', 'АО', ''])} {w}{i}".strip()
        for i, w in enumerate(
            rng.choice(["Ромашка", "Вектор", "Альфа", "ЁлкаСтрой", "Сириус", "Гранит"])
            for _ in range(ROWS)
        )
    ]
    async with pool() as session:
        await session.execute(
            insert(Client),
            [
                {
                    "owner_id": manager.id,
                    "name": n,
                    "name_norm": normalize_name(n),
                    "segment": "b2b",
                    "tier": "regular",
                    "status": "active",
                    "is_demo": False,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for n in names
            ],
        )
        await session.commit()
    targets = rng.sample(names, LOOKUPS)
    exact, fuzzy = [], []
    async with pool() as session:
        for name in targets:
            t0 = time.perf_counter()
            await client_store.by_norm(session, manager.id, normalize_name(name))
            exact.append(time.perf_counter() - t0)
            typo = name[:-3] + name[-2] + name[-3] + name[-1]  # swap two letters
            t0 = time.perf_counter()
            await client_service.lookup(session, manager, typo)
            fuzzy.append(time.perf_counter() - t0)
    await engine.dispose()
    print(f"lookup among {ROWS} clients ({LOOKUPS} queries):")
    print(f"  exact indexed: median {median_ms(exact):7.2f} ms, p95 {p95_ms(exact):7.2f} ms")
    print(f"  fuzzy (typo):  median {median_ms(fuzzy):7.2f} ms, p95 {p95_ms(fuzzy):7.2f} ms")
    print(f"  ratio fuzzy/exact (median): {median_ms(fuzzy) / median_ms(exact):.1f}")


async def main() -> None:
    await bench_import()
    await bench_lookup()


if __name__ == "__main__":
    asyncio.run(main())
