"""Prometheus metrics of one process, served at /metrics (bot/health.py).

Counters are incremented where things happen (the error boundary, delivery's outcome count,
the bot session); gauges that describe the database are refreshed when /metrics is scraped.
Every process has its own registry: Prometheus scrapes each `serve` and `worker` and sums.
Plain prometheus-client only, so bot.services may import this module without aiogram.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter(
    "kambot_updates",
    "Updates handled, by kind (message, callback_query, ...)",
    ["kind"],
    registry=REGISTRY,
)
HANDLER_SECONDS = Histogram(
    "kambot_handler_seconds",
    "Time from an update entering the middlewares to its handler's end",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
# A reference code is unique per failure (the user quotes it): as a label it would add a time
# series per error for ever. The counter is by exception type; the last code is a gauge label
# that is replaced each time, so an alert leads to the log line.
ERRORS = Counter(
    "kambot_update_errors",
    "Updates that failed with an apology, by exception type",
    ["error"],
    registry=REGISTRY,
)
LAST_ERROR = Gauge(
    "kambot_last_error_timestamp_seconds",
    "When the last update failed; the ref label is its reference code in the log",
    ["ref", "error"],
    registry=REGISTRY,
)
REMINDERS = Counter(
    "kambot_reminders",
    "Reminders settled by delivery, by outcome (sent, retry, failed, blocked, quiet, stale...)",
    ["outcome"],
    registry=REGISTRY,
)
TELEGRAM_429 = Counter(
    "kambot_telegram_429",
    "Bot API calls answered 429 Too Many Requests, by method",
    ["method"],
    registry=REGISTRY,
)
REMINDERS_WAITING = Gauge(
    "kambot_reminders_planned",
    "Reminders in the database by state (pending = planned and not yet sent)",
    ["state"],
    registry=REGISTRY,
)
OLDEST_DUE_SECONDS = Gauge(
    "kambot_oldest_due_reminder_age_seconds",
    "How long the oldest reminder that is due has been waiting (0: nothing due)",
    registry=REGISTRY,
)
POOL_IN_USE = Gauge(
    "kambot_db_pool_in_use",
    "Database connections checked out of this process's pool",
    registry=REGISTRY,
)
SCHEDULER_TICK_AGE = Gauge(
    "kambot_scheduler_tick_age_seconds",
    "Seconds since the reminder job last finished or was seen still busy (-1: no scheduler)",
    registry=REGISTRY,
)


def failed(ref: str, error: str, at: float) -> None:
    ERRORS.labels(error).inc()
    LAST_ERROR.clear()
    LAST_ERROR.labels(ref, error).set(at)


def reminders(outcome: str, times: int = 1) -> None:
    REMINDERS.labels(outcome).inc(times)
