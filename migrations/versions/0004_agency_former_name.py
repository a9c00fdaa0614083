"""agency former name

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 19:57:34.625737

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import dondoc.models.base


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A continuing agency's former name (15 Yên Bái became 15 Lào Cai on 1 July 2025)."""
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('former_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.add_column(sa.Column('former_short_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.add_column(sa.Column('renamed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('renamed_on')
        batch_op.drop_column('former_short_name')
        batch_op.drop_column('former_name')
