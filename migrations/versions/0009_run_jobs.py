"""Matching runs: the background job that holds a run, and how often one was claimed

Revision ID: 0009_run_jobs
Revises: 0008_geocode
Create Date: 2026-12-02 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_run_jobs'
down_revision = '0008_geocode'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('job_id', sa.String(length=120), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('job_id')
