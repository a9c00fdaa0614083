"""sweep write cost: a made-through period per obligation, no duplicate indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 23:05:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The daily sweep stops re-checking periods whose tasks are all made, and every queued
    reminder and new task stops paying for an index that a unique key already provides
    (uq_notification_once leads with task_id, uq_task_period with obligation_id)."""
    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tasks_made_through', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_task_id'))
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_obligation_id'))


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_obligation_id'), ['obligation_id'], unique=False)
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_task_id'), ['task_id'], unique=False)
    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.drop_column('tasks_made_through')
