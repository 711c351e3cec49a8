"""Pages that stay fast: youths sort by a stored lower-case name; indexes for the lists' filters and sorts

Revision ID: 0010_page_indexes
Revises: 0009_run_jobs
Create Date: 2026-12-02 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_page_indexes'
down_revision = '0009_run_jobs'
branch_labels = None
depends_on = None

# (table, index name, columns) of every index this revision adds.
INDEXES = (
    ('youth', 'ix_youth_status_sort_name', ['status', 'sort_name', 'id']),
    ('youth', 'ix_youth_status_birth_date', ['status', 'birth_date', 'id']),
    ('placement', 'ix_placement_opening_status', ['opening_id', 'status']),
    ('user', 'ix_user_role_name', ['role', 'name']),
    ('employer', 'ix_employer_status_name', ['status', 'name']),
    ('opening', 'ix_opening_status_id', ['status', 'id']),
    ('opening', 'ix_opening_status_created_at', ['status', 'created_at', 'id']),
    ('opening', 'ix_opening_status_category', ['status', 'category']),
    ('opening', 'ix_opening_status_kind', ['status', 'kind']),
    ('opening', 'ix_opening_status_town', ['status', 'town']),
    ('shift', 'ix_shift_opening_day', ['opening_id', 'day_index']),
)


def upgrade():
    with op.batch_alter_table('youth', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('sort_name', sa.String(length=161), server_default='', nullable=False)
        )
    # Filled as the model keeps it (Python's lower case, which knows Æ, Ø and Å), row by row.
    youth = sa.table(
        'youth', sa.column('id'), sa.column('first_name'), sa.column('last_name'),
        sa.column('sort_name'),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(youth.c.id, youth.c.first_name, youth.c.last_name))
    names = [
        {'row_id': row_id, 'name': f'{first or ""} {last or ""}'.strip().lower()}
        for row_id, first, last in rows
    ]
    if names:
        connection.execute(
            youth.update().where(youth.c.id == sa.bindparam('row_id')).values(
                sort_name=sa.bindparam('name')
            ),
            names,
        )
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('youth', schema=None) as batch_op:
        batch_op.drop_column('sort_name')
