"""Issue 13 item 2: what refusing an import bomb costs, next to a normal 20,000-row import.

Each file is read in a child process of its own (so one bomb's memory is not the next one's
baseline): the child loads the bot's import code, reads the file into memory, notes its RSS
("idle"), then runs the real file layer (``importing.parse_file``: read, map, parse, group)
and reports the wall and CPU time to the refusal (or the result) and the peak RSS above idle.
The kernel's peak mark (VmHWM) is reset at idle by writing 5 to /proc/self/clear_refs, so the
peak is the parse's own: ``ru_maxrss`` would also hold the peak of start-up (imports), ~90 MB
here, and report it for every file. Goals: every bomb refused in < 1 s, <= 100 MB above idle.
The machine is shared: CPU time is the steadier figure, wall time includes waiting for a core.

Run: .venv/bin/python -m bench.bench_import_bombs
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.support import bombs
from tests.support.spreadsheets import csv_bytes, russian_clients, xlsx_bytes

BASE_ROWS = 20_000
_PAGE = resource.getpagesize()


def _bombs() -> list[tuple[str, str, Callable[[], bytes]]]:
    return [
        ("CSV, 1,000,000-column header", "wide.csv", bombs.wide_csv_header),
        ("CSV, 30,000 rows", "rows.csv", bombs.many_rows_csv),
        ("CSV, 5,000,000 blank lines", "blank.csv", bombs.blank_lines_csv),
        ("CSV, one 5 MB cell", "long.csv", bombs.long_cell_csv),
        ("XLSX, <row/> x 24 MB unpacked", "rows24.xlsx", lambda: bombs.empty_rows_xlsx(24)),
        ("XLSX, <row/> x 246 MB unpacked", "rows246.xlsx", lambda: bombs.empty_rows_xlsx(246)),
        ("XLSX, 2,000,000 styled empty cells", "styled.xlsx", bombs.styled_cells_xlsx),
        ("XLSX, 2,000,000 shared strings", "strings.xlsx", bombs.shared_strings_xlsx),
        (
            "XLSX, sheet padded to 150 MB",
            "padded.xlsx",
            lambda: bombs.whitespace_member_xlsx(150),
        ),
        ("XLSX, 1 GB zip bomb member", "zip.xlsx", lambda: bombs.whitespace_member_xlsx(1024)),
        ("XLSX, one 2 MB cell", "long.xlsx", bombs.long_cell_xlsx),
        ("XLSX, rows 1 and 1,048,576", "far.xlsx", bombs.far_row_xlsx),
    ]


def _baselines() -> list[tuple[str, str, Callable[[], bytes]]]:
    rows = russian_clients(BASE_ROWS)
    return [
        (
            f"baseline: {BASE_ROWS:,}-row base, CSV cp1251",
            "base.csv",
            lambda: csv_bytes(rows, encoding="cp1251", delimiter=";"),
        ),
        (
            f"baseline: {BASE_ROWS:,}-row base, XLSX",
            "base.xlsx",
            lambda: xlsx_bytes({"Clients": rows}),
        ),
    ]


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE


def _peak() -> int:
    with open("/proc/self/status") as status:
        found = re.search(r"VmHWM:\s+(\d+) kB", status.read())
    assert found is not None
    return int(found.group(1)) * 1024


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def child(path: str, filename: str) -> None:
    from bot.services.exchange import importing

    content = Path(path).read_bytes()
    idle = _rss()
    _reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        result = importing.parse_file(content, filename, date(2026, 11, 28))
        outcome = f"read: {len(result.clients)} clients"
    except importing.ImportFileError as error:
        outcome = f"refused: {error.key} {error.params}"
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _peak()
    print(json.dumps({"wall": wall, "cpu": cpu, "above_idle": max(0, peak - idle),
                      "idle": idle, "outcome": outcome}))  # fmt: skip


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="kambot-bombs-"))
    print(f"{'file':42} {'size':>9} {'wall s':>7} {'cpu s':>6} {'MB>idle':>8}  outcome")
    for label, filename, build in [*_baselines(), *_bombs()]:
        content = build()
        path = folder / filename
        path.write_bytes(content)
        del content
        run = subprocess.run(
            [sys.executable, "-m", "bench.bench_import_bombs", "--child", str(path), filename],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            print(f"{label:42} child failed: {run.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        size = path.stat().st_size / 1024
        print(
            f"{label:42} {size:7.0f}KB {r['wall']:7.2f} {r['cpu']:6.2f} "
            f"{r['above_idle'] / 2**20:8.1f}  {r['outcome']}",
            flush=True,
        )
        path.unlink()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
