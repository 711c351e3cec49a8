"""Openings: an employer's change of an approved opening waits for a coordinator

Revision ID: 0006_opening_changes
Revises: 0005_placement_races
Create Date: 2026-12-01 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_opening_changes'
down_revision = '0005_placement_races'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('opening', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_changes', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('changes_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('changes_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('opening', schema=None) as batch_op:
        batch_op.drop_column('changes_version')
        batch_op.drop_column('changes_requested_at')
        batch_op.drop_column('pending_changes')
