"""Managers: registration on first contact and every personal setting, validated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LANGUAGES, pick_language
from bot.services.crm.clients import refresh_checkin
from storage import clients as client_store
from storage import managers as store
from storage.enums import WorkMode
from storage.models import Manager

BIRTHDAY_LEAD_CHOICES = (0, 1, 3, 7, 14)
CADENCE_LIMITS = (1, 365)


class InvalidSetting(ValueError):
    """A value that no setting accepts: a forged button or a typo. Carries an i18n key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class TelegramUser:
    id: int
    language_code: str | None
    full_name: str
    username: str | None
    # False for a membership change (my_chat_member): a "kicked" update is not a sign that
    # the user came back, so it must not lift the block even for a moment.
    wrote: bool = True


@dataclass(frozen=True, slots=True)
class Defaults:
    language: str
    timezone: str
    digest_time: time


async def get_or_register(
    session: AsyncSession, user: TelegramUser, *, defaults: Defaults, now: datetime
) -> Manager:
    manager = await store.by_telegram_id(session, user.id)
    return await _register_or_update(session, manager, user, defaults=defaults, now=now)


async def get_or_register_for_update(
    session: AsyncSession,
    user: TelegramUser,
    update_id: int,
    *,
    defaults: Defaults,
    now: datetime,
) -> tuple[Manager, bool | None]:
    """get_or_register, and whether the update was already processed, from one query.

    The flag is None for a manager registered just now: it was not looked up.
    """
    manager, seen = await store.by_telegram_id_with_update(session, user.id, update_id)
    registered = await _register_or_update(session, manager, user, defaults=defaults, now=now)
    return registered, seen


async def _register_or_update(
    session: AsyncSession,
    manager: Manager | None,
    user: TelegramUser,
    *,
    defaults: Defaults,
    now: datetime,
) -> Manager:
    if manager is None:
        manager = Manager(
            telegram_id=user.id,
            full_name=user.full_name[:256],
            username=user.username,
            language=pick_language(user.language_code, defaults.language),
            timezone=defaults.timezone,
            digest_time=defaults.digest_time,
            work_mode=WorkMode.B2B,
            created_at=now,
            updated_at=now,
        )
        session.add(manager)
        try:
            await session.commit()
        except IntegrityError:
            # Another instance registered the same user a moment ago: use that row.
            await session.rollback()
            existing = await store.by_telegram_id(session, user.id)
            assert existing is not None
            return existing
        return manager
    changed = False
    if manager.blocked_at is not None and user.wrote:
        # They wrote to us again, so they unblocked the bot: deliveries resume.
        manager.blocked_at = None
        changed = True
    if manager.full_name != user.full_name[:256] or manager.username != user.username:
        manager.full_name = user.full_name[:256]
        manager.username = user.username
        changed = True
    if changed:
        await session.commit()
    return manager


async def set_language(session: AsyncSession, manager: Manager, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidSetting("settings-invalid-value")
    manager.language = language
    await session.commit()


def valid_zone(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


async def set_timezone(session: AsyncSession, manager: Manager, zone: str) -> None:
    if not valid_zone(zone):
        raise InvalidSetting("settings-invalid-value")
    manager.timezone = zone
    await session.commit()


async def set_work_mode(session: AsyncSession, manager: Manager, mode: str) -> None:
    try:
        manager.work_mode = WorkMode(mode)
    except ValueError as exc:
        raise InvalidSetting("settings-invalid-value") from exc
    await session.commit()


async def set_digest_time(session: AsyncSession, manager: Manager, at: time) -> None:
    manager.digest_time = at.replace(second=0, microsecond=0, tzinfo=None)
    await session.commit()


async def set_quiet_hours(session: AsyncSession, manager: Manager, start: time, end: time) -> None:
    """start == end means no quiet hours at all."""
    manager.quiet_start = start.replace(second=0, microsecond=0, tzinfo=None)
    manager.quiet_end = end.replace(second=0, microsecond=0, tzinfo=None)
    await session.commit()


async def set_birthday_lead(session: AsyncSession, manager: Manager, days: int) -> None:
    if days not in BIRTHDAY_LEAD_CHOICES:
        raise InvalidSetting("settings-invalid-value")
    manager.birthday_lead_days = days
    await session.commit()


async def set_cadence(
    session: AsyncSession,
    manager: Manager,
    *,
    key_days: int | None,
    regular_days: int | None,
    now: datetime,
) -> None:
    low, high = CADENCE_LIMITS
    for days in (key_days, regular_days):
        if days is not None and not low <= days <= high:
            raise InvalidSetting("settings-cadence-range")
    if key_days is not None:
        manager.cadence_key_days = key_days
    if regular_days is not None:
        manager.cadence_regular_days = regular_days
    # Clients on the default cadence get their next check-in moved in the same transaction.
    for client in await client_store.on_default_cadence(session, manager.id):
        refresh_checkin(client, manager, now)
    await session.commit()


async def finish_onboarding(session: AsyncSession, manager: Manager, now: datetime) -> None:
    if manager.onboarded_at is None:
        manager.onboarded_at = now
        await session.commit()


async def set_blocked(
    session: AsyncSession, manager: Manager, blocked: bool, now: datetime
) -> None:
    """The user blocked (or unblocked) the bot in their private chat. The same flag a 403 on a
    delivery sets: reminders and digests to a blocked manager stop at once, and resume after."""
    manager.blocked_at = now if blocked else None
    await session.commit()
