"""/export's heavy part as one job for a worker process: load the base, build both files.

Loading tens of thousands of clients through the ORM and writing them to XLSX and CSV is
seconds of pure-Python CPU. In a thread it still holds the GIL most of the time, and every other
chat's update waits for it in slices; in a worker process it does not touch the bot's
interpreter at all (bench/bench_fairness.py measures both). The job opens its own engine on the
same database and reads committed data only.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.services.exchange import bundle_json, export_collect, exporting
from storage.db import create_engine, create_session_pool
from storage.models import Manager


@dataclass(frozen=True)
class ExportFiles:
    clients: int
    touches: int
    notes: int
    sales: int
    workbook: bytes
    archive: bytes  # kambot.json (the lossless copy /import restores) and the CSVs, zipped


def export_files(data: exporting.ExportData) -> ExportFiles:
    document = bundle_json.dump(data, datetime.now(UTC))
    workbook = exporting.build_workbook(data, document)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(bundle_json.FILE_NAME, document)
        for name, content in exporting.build_csvs(data).items():
            zf.writestr(name, content)
    return ExportFiles(
        clients=len(data.clients),
        touches=len(data.touches),
        notes=len(data.notes),
        sales=len(data.sales),
        workbook=workbook,
        archive=archive.getvalue(),
    )


async def _build(database_url: str, manager_id: int) -> ExportFiles:
    engine = create_engine(database_url)
    try:
        async with create_session_pool(engine)() as session:
            manager = await session.get(Manager, manager_id)
            if manager is None:
                raise LookupError(f"manager {manager_id} not found")
            data = await export_collect.collect_full_export(session, manager)
    finally:
        await engine.dispose()
    return export_files(data)


def build_export(database_url: str, manager_id: int) -> ExportFiles:
    """Runs in a worker process (bot/workers.py run_in_process): picklable in and out."""
    return asyncio.run(_build(database_url, manager_id))
