"""Placements: one per proposal, one running per youth and opening

Revision ID: 0005_placement_races
Revises: 0004_outbox_dedupe
Create Date: 2026-12-01 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_placement_races'
down_revision = '0004_outbox_dedupe'
branch_labels = None
depends_on = None

RUNNING = sa.text("status IN ('confirmed', 'started')")


def upgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_placement_proposal_id', ['proposal_id'])
        batch_op.create_index(
            'uq_placement_running_pair',
            ['youth_id', 'opening_id'],
            unique=True,
            sqlite_where=RUNNING,
            postgresql_where=RUNNING,
        )


def downgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_index('uq_placement_running_pair')
        batch_op.drop_constraint('uq_placement_proposal_id', type_='unique')
