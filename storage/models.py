"""The whole domain schema. Behaviour lives in services; this is only the shape of the data."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.enums import (
    Channel,
    ClientStatus,
    Outcome,
    PeriodKind,
    ReminderKind,
    ReminderState,
    Segment,
    TeamRole,
    Tier,
    WorkMode,
)
from storage.types import UTCDateTime

# Deterministic constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads it as a plain class attribute
        datetime: UTCDateTime(),
        date: Date(),
        time: Time(),
        int: Integer(),
        bool: Boolean(),
        dict[str, Any]: JSON(),
        # Enums are stored by value as plain strings: readable in SQL, no native PG types.
        enum.Enum: Enum(
            enum.Enum,
            native_enum=False,
            create_constraint=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
    }


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Team(Timestamped, Base):
    """A sales team: it owns the clients its members bring or create (issue 10)."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Unused since invites became rows of their own (team_invites); kept because dropping a
    # column rebuilds the table on SQLite for no gain.
    invite_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Whether a manager's /team shows their own rank; the head decides, off by default.
    rankings_visible: Mapped[bool] = mapped_column(default=False, server_default=false())

    managers: Mapped[list[Manager]] = relationship(back_populates="team")


class TeamInvite(Base):
    """A join link: single use, or good for anyone until it expires; revocable."""

    __tablename__ = "team_invites"
    __table_args__ = (Index("ix_team_invites_team", "team_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL")
    )
    single_use: Mapped[bool] = mapped_column(default=True)
    expires_at: Mapped[datetime]
    used_count: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamEvent(Base):
    """The team's audit log (/team log): joins, leaves, removals, roles and handovers.

    Names are copied into ``payload`` so the record still reads right after an account is
    deleted (the manager ids then become NULL).
    """

    __tablename__ = "team_events"
    __table_args__ = (Index("ix_team_events_team", "team_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id", ondelete="SET NULL"))
    from_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL")
    )
    to_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL")
    )
    payload: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Manager(Timestamped, Base):
    __tablename__ = "managers"
    __table_args__ = (
        Index("ix_managers_next_digest", "next_digest_at"),
        Index("ix_managers_team", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    role: Mapped[TeamRole] = mapped_column(default=TeamRole.MANAGER)
    full_name: Mapped[str] = mapped_column(String(256), default="")
    username: Mapped[str | None] = mapped_column(String(64))

    language: Mapped[str] = mapped_column(String(8), default="ru")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    work_mode: Mapped[WorkMode] = mapped_column(default=WorkMode.B2B)
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    digest_time: Mapped[time] = mapped_column(default=time(9, 0))
    quiet_start: Mapped[time] = mapped_column(default=time(21, 0))
    quiet_end: Mapped[time] = mapped_column(default=time(8, 0))
    birthday_lead_days: Mapped[int] = mapped_column(SmallInteger, default=3)
    cadence_key_days: Mapped[int] = mapped_column(SmallInteger, default=7)
    cadence_regular_days: Mapped[int] = mapped_column(SmallInteger, default=30)

    onboarded_at: Mapped[datetime | None]
    # Set when Telegram answers 403: we stop sending until the manager writes to us again.
    blocked_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    # The demo sandbox is a manager row of its own (never active, never pinged), so sample data
    # can't mix with real data: every query is already scoped by manager.
    sandbox_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="CASCADE"), unique=True
    )
    # A server default lets migration 0002 add the column to existing rows.
    in_sandbox: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The next digest moment (UTC) the planner has to look at this manager: a tick reads only
    # the managers whose moment is near, not all of them. NULL = to be worked out (new
    # managers, and after the timezone or the digest time changed, see below).
    next_digest_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team | None] = relationship(back_populates="managers")


@event.listens_for(Manager.timezone, "set")
@event.listens_for(Manager.digest_time, "set")
def _digest_moment_changed(target: Manager, value: object, old: object, _initiator: object) -> None:
    # A stale moment would hold the planner off until the old time: let it work it out again.
    if value != old:
        target.next_digest_at = None


class Client(Timestamped, Base):
    __tablename__ = "clients"
    __table_args__ = (
        Index("ix_clients_owner_status", "owner_id", "status"),
        Index("ix_clients_owner_checkin", "owner_id", "next_checkin_at"),
        Index("ix_clients_owner_name", "owner_id", "name_norm"),
        Index("ix_clients_team_owner", "team_id", "owner_id"),
        Index("ix_clients_next_checkin", "next_checkin_at"),
        Index("ix_clients_tax_id", "tax_id"),
        Index("ix_clients_phone", "phone_norm"),
        CheckConstraint("cadence_days IS NULL OR cadence_days > 0", name="cadence_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The base belongs to the company: the team keeps the client when the owner changes.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_norm: Mapped[str] = mapped_column(String(200))
    segment: Mapped[Segment] = mapped_column(default=Segment.B2B)
    tier: Mapped[Tier] = mapped_column(default=Tier.REGULAR)
    status: Mapped[ClientStatus] = mapped_column(default=ClientStatus.ACTIVE)
    cadence_days: Mapped[int | None] = mapped_column(SmallInteger)
    preferred_channel: Mapped[Channel | None]
    tax_id: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32))
    phone_norm: Mapped[str | None] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(default=False)
    archived_at: Mapped[datetime | None]
    # Denormalized from interactions so that "who is overdue" is an index range scan.
    last_touch_at: Mapped[datetime | None]
    next_checkin_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    tags: Mapped[list[ClientTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True
    )


class ClientTag(Base):
    __tablename__ = "client_tags"
    __table_args__ = (Index("ix_client_tags_tag", "tag"),)

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)


class Contact(Timestamped, Base):
    """A decision-maker [ЛПР] or any person at a client."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_birthday", "birth_month", "birth_day"),
        Index("ix_contacts_client", "client_id"),
        Index("ix_contacts_name", "name_norm"),
        CheckConstraint(
            "(birth_month IS NULL AND birth_day IS NULL) OR "
            "(birth_month BETWEEN 1 AND 12 AND birth_day BETWEEN 1 AND 31)",
            name="birthday_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_norm: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    birth_day: Mapped[int | None] = mapped_column(SmallInteger)
    birth_month: Mapped[int | None] = mapped_column(SmallInteger)
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    client: Mapped[Client] = relationship(back_populates="contacts")


class Interaction(Timestamped, Base):
    """A touch: call, meeting, message, e-mail or visit, with the promised next step."""

    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_client_time", "client_id", "occurred_at"),
        Index("ix_interactions_manager_time", "manager_id", "occurred_at"),
        Index("ix_interactions_followups", "manager_id", "next_step_done_at", "next_step_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    kind: Mapped[Channel] = mapped_column(default=Channel.CALL)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[Outcome | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str | None] = mapped_column(Text)
    next_step_due_at: Mapped[datetime | None]
    next_step_has_time: Mapped[bool] = mapped_column(default=False)
    next_step_done_at: Mapped[datetime | None]


class Note(Timestamped, Base):
    __tablename__ = "notes"
    __table_args__ = (
        Index("ix_notes_client_time", "client_id", "created_at"),
        Index("ix_notes_contact", "contact_id"),
        Index("ix_notes_manager_remind", "manager_id", "remind_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    is_private: Mapped[bool] = mapped_column(default=False)
    remind_at: Mapped[datetime | None]

    tags: Mapped[list[NoteTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )


class NoteTag(Base):
    __tablename__ = "note_tags"
    __table_args__ = (Index("ix_note_tags_tag", "tag"),)

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)


class Sale(Timestamped, Base):
    __tablename__ = "sales"
    __table_args__ = (
        Index("ix_sales_manager_time", "manager_id", "sold_at"),
        Index("ix_sales_client_time", "client_id", "sold_at"),
        Index("ix_sales_manager_line", "manager_id", "product_line", "client_id"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    # Integer minor units (kopecks): money never goes through floats.
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    product_line: Mapped[str | None] = mapped_column(String(120))
    sold_at: Mapped[datetime] = mapped_column(default=utcnow)


class Plan(Timestamped, Base):
    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint(
            "manager_id", "client_id", "period_kind", "period_start", name="uq_plans_period"
        ),
        CheckConstraint("amount_minor >= 0", name="amount_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    # Set for a per-client plan on a key account; NULL for the manager's own plan.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    period_kind: Mapped[PeriodKind]
    period_start: Mapped[date]
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ClientRequest(Timestamped, Base):
    """A B2C request: the clock of first response and resolution."""

    __tablename__ = "requests"
    __table_args__ = (
        Index("ix_requests_manager_opened", "manager_id", "opened_at"),
        # Open requests (resolved_at IS NULL) oldest first: the B2C list and the overdue count
        # read only the few open rows, however many years of solved ones there are.
        Index("ix_requests_manager_open", "manager_id", "resolved_at", "opened_at"),
        Index("ix_requests_client", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    feedback: Mapped[str | None] = mapped_column(Text)


class Review(Timestamped, Base):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_manager_time", "manager_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"))
    is_positive: Mapped[bool]
    text: Mapped[str | None] = mapped_column(Text)


class Reminder(Timestamped, Base):
    """One ping to deliver. The row, not the scheduler, is the source of truth."""

    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_state_due", "state", "due_at"),
        Index("ix_reminders_manager_state", "manager_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind]
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE")
    )
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    due_at: Mapped[datetime]
    state: Mapped[ReminderState] = mapped_column(default=ReminderState.PENDING)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    # Planning is idempotent because each reminder that should exist has exactly one key.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    chat_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(500))
    payload: Mapped[dict[str, Any] | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProcessedUpdate(Base):
    """Telegram update ids already handled: redelivery after a crash does nothing twice."""

    __tablename__ = "processed_updates"
    __table_args__ = (Index("ix_processed_updates_at", "processed_at"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


class UndoEntry(Base):
    """One thing the manager did, for /undo: newest first, within ten minutes.

    Written in the same transaction as the action (see bot/services/history/undo_journal.py).
    `payload`
    holds what undo needs beyond the row itself: a card's previous field values, a plan's
    previous amount, or the rows an import created.
    """

    __tablename__ = "undo_entries"
    __table_args__ = (Index("ix_undo_entries_manager", "manager_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[int | None]
    # A deleted client takes its entries along: there is nothing left to undo.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
