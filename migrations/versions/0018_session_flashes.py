"""Messages waiting for a signed-in user's next page are kept with the server-side session

Revision ID: 0018_session_flashes
Revises: 0017_staff_sessions
Create Date: 2026-12-02 07:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_session_flashes'
down_revision = '0017_staff_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('flashes', sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_column('flashes')
