"""Youths may be anonymised: what erasure and the retention period leave for the figures

Revision ID: 0016_anonymised_youths
Revises: 0015_sms
Create Date: 2026-12-02 07:15:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_anonymised_youths'
down_revision = '0015_sms'
branch_labels = None
depends_on = None


def _status_check(statuses):
    with op.batch_alter_table('youth', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_youth_status'), type_='check')
        batch_op.create_check_constraint(
            'status', 'status IN (' + ', '.join(f"'{s}'" for s in statuses) + ')'
        )


def upgrade():
    _status_check(('pending', 'active', 'archived', 'anonymised'))


def downgrade():
    op.execute("DELETE FROM youth WHERE status = 'anonymised'")
    _status_check(('pending', 'active', 'archived'))
