"""A run's problem and solution documents move to a table of their own (run_document)

On SQLite a row's columns after a large value are read through all of its overflow
pages: kept in match_run, the documents (megabytes each) made every list of runs read
them all.

Revision ID: 0019_run_documents
Revises: 0018_session_flashes
Create Date: 2026-12-04 02:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_run_documents'
down_revision = '0018_session_flashes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'run_document',
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('problem', sa.JSON(), nullable=False),
        sa.Column('solution', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ['run_id'], ['match_run.id'], name=op.f('fk_run_document_run_id_match_run'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('run_id', name=op.f('pk_run_document')),
    )
    op.execute(
        "INSERT INTO run_document (run_id, problem, solution) "
        "SELECT id, problem, solution FROM match_run"
    )
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_column('problem')
        batch_op.drop_column('solution')


def downgrade():
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('problem', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('solution', sa.JSON(), server_default='{}', nullable=False))
    op.execute(
        "UPDATE match_run SET "
        "problem = (SELECT problem FROM run_document WHERE run_document.run_id = match_run.id), "
        "solution = (SELECT solution FROM run_document WHERE run_document.run_id = match_run.id) "
        "WHERE id IN (SELECT run_id FROM run_document)"
    )
    op.drop_table('run_document')
