"""undo journal

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 21:25:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only: no existing table is rebuilt, so nothing can cascade.
    op.create_table('undo_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_undo_entries_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['manager_id'], ['managers.id'], name=op.f('fk_undo_entries_manager_id_managers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_undo_entries'))
    )
    with op.batch_alter_table('undo_entries', schema=None) as batch_op:
        batch_op.create_index('ix_undo_entries_manager', ['manager_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('undo_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_undo_entries_manager')

    op.drop_table('undo_entries')
