"""succession and cutoff

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 19:49:11.460859

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import dondoc.models.base


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Agency succession (dissolved_on, successor), task origin, obligation data cut-off."""
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dissolved_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('successor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_agency_successor_id', 'agency', ['successor_id'], ['id'])

    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cutoff_month', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cutoff_day', sa.Integer(), nullable=True))

    # Every existing task is still held by the agency it was assigned to.
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_agency_id', sa.Integer(), nullable=True))
    op.execute('UPDATE task SET origin_agency_id = agency_id')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.alter_column('origin_agency_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_task_period', type_='unique')
        batch_op.create_unique_constraint('uq_task_period', ['obligation_id', 'origin_agency_id', 'period'])
        batch_op.create_index(batch_op.f('ix_task_origin_agency_id'), ['origin_agency_id'], unique=False)
        batch_op.create_foreign_key('fk_task_origin_agency_id', 'agency', ['origin_agency_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema (inherited tasks return to their origin agency)."""
    op.execute('UPDATE task SET agency_id = origin_agency_id')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint('fk_task_origin_agency_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_task_origin_agency_id'))
        batch_op.drop_constraint('uq_task_period', type_='unique')
        batch_op.create_unique_constraint('uq_task_period', ['obligation_id', 'agency_id', 'period'])
        batch_op.drop_column('origin_agency_id')

    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.drop_column('cutoff_day')
        batch_op.drop_column('cutoff_month')

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_constraint('fk_agency_successor_id', type_='foreignkey')
        batch_op.drop_column('successor_id')
        batch_op.drop_column('dissolved_on')
