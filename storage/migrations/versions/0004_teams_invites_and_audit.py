"""teams: invites, the audit log, rankings switch, team indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 02:11:17.232728
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # New tables, new indexes and one added column: no existing table is rebuilt.
    op.create_table('team_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_manager_id', sa.Integer(), nullable=True),
    sa.Column('to_manager_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['managers.id'], name=op.f('fk_team_events_actor_id_managers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_manager_id'], ['managers.id'], name=op.f('fk_team_events_from_manager_id_managers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_events_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_manager_id'], ['managers.id'], name=op.f('fk_team_events_to_manager_id_managers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_events'))
    )
    with op.batch_alter_table('team_events', schema=None) as batch_op:
        batch_op.create_index('ix_team_events_team', ['team_id', 'id'], unique=False)

    op.create_table('team_invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('single_use', sa.Boolean(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_count', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['managers.id'], name=op.f('fk_team_invites_created_by_id_managers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_invites_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_invites')),
    sa.UniqueConstraint('token', name=op.f('uq_team_invites_token'))
    )
    with op.batch_alter_table('team_invites', schema=None) as batch_op:
        batch_op.create_index('ix_team_invites_team', ['team_id', 'created_at'], unique=False)

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index('ix_clients_team_owner', ['team_id', 'owner_id'], unique=False)

    with op.batch_alter_table('managers', schema=None) as batch_op:
        batch_op.create_index('ix_managers_team', ['team_id'], unique=False)

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rankings_visible', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('rankings_visible')

    with op.batch_alter_table('managers', schema=None) as batch_op:
        batch_op.drop_index('ix_managers_team')

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_team_owner')

    with op.batch_alter_table('team_invites', schema=None) as batch_op:
        batch_op.drop_index('ix_team_invites_team')

    op.drop_table('team_invites')
    with op.batch_alter_table('team_events', schema=None) as batch_op:
        batch_op.drop_index('ix_team_events_team')

    op.drop_table('team_events')
