"""What a finished run decided, kept with it: its figures and a row per unplaced youth

Revision ID: 0014_run_outcome
Revises: 0013_audit_trail
Create Date: 2026-12-02 06:40:00.000000

A run finished before this revision gets both from its stored documents the
first time its page is shown (webapp/services/run_outcome.py).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_run_outcome'
down_revision = '0013_audit_trail'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('figures', sa.JSON(none_as_null=True), nullable=True))
    op.create_table(
        'run_unplaced',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('youth_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('availability', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['match_run.id'], name=op.f('fk_run_unplaced_run_id_match_run'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['youth_id'], ['youth.id'], name=op.f('fk_run_unplaced_youth_id_youth'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_run_unplaced')),
        sa.UniqueConstraint('run_id', 'youth_id', name='uq_run_unplaced_youth'),
    )
    with op.batch_alter_table('run_unplaced', schema=None) as batch_op:
        batch_op.create_index('ix_run_unplaced_run_code_position', ['run_id', 'code', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_run_unplaced_youth_id'), ['youth_id'], unique=False)


def downgrade():
    with op.batch_alter_table('run_unplaced', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_run_unplaced_youth_id'))
        batch_op.drop_index('ix_run_unplaced_run_code_position')
    op.drop_table('run_unplaced')
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_column('figures')
