"""Matching: what would place an unplaced youth, worked out once in the background

Revision ID: 0007_what_if
Revises: 0006_opening_changes
Create Date: 2026-12-02 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_what_if'
down_revision = '0006_opening_changes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('what_if',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(
        "status IN ('pending', 'running', 'done', 'failed')", name=op.f('ck_what_if_status')
    ),
    sa.ForeignKeyConstraint(
        ['run_id'], ['match_run.id'], name=op.f('fk_what_if_run_id_match_run'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
        ['youth_id'], ['youth.id'], name=op.f('fk_what_if_youth_id_youth'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_what_if')),
    sa.UniqueConstraint('run_id', 'youth_id', name='uq_what_if_run_youth')
    )
    with op.batch_alter_table('what_if', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_what_if_youth_id'), ['youth_id'], unique=False)


def downgrade():
    with op.batch_alter_table('what_if', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_what_if_youth_id'))
    op.drop_table('what_if')
