"""Server-side sessions of signed-in accounts, authenticator secrets and recovery codes

Revision ID: 0017_staff_sessions
Revises: 0016_anonymised_youths
Create Date: 2026-12-02 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_staff_sessions'
down_revision = '0016_anonymised_youths'
branch_labels = None
depends_on = None


def _user_id(**kwargs):
    return sa.Column(
        'user_id',
        sa.Integer(),
        sa.ForeignKey('user.id', name=kwargs.pop('fk'), ondelete='CASCADE'),
        nullable=False,
        **kwargs,
    )


def upgrade():
    op.create_table(
        'staff_session',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        _user_id(fk='fk_staff_session_user_id_user'),
        sa.Column('user_version', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('second_factor', sa.Boolean(), nullable=False),
        sa.Column('second_factor_failures', sa.Integer(), nullable=False),
        sa.Column('youth_search', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_staff_session'),
        sa.UniqueConstraint('token_hash', name='uq_staff_session_token_hash'),
    )
    op.create_index('ix_staff_session_user_id', 'staff_session', ['user_id'])
    op.create_index('ix_staff_session_created_at', 'staff_session', ['created_at'])
    op.create_table(
        'two_factor',
        sa.Column('id', sa.Integer(), primary_key=True),
        _user_id(fk='fk_two_factor_user_id_user'),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('last_step', sa.Integer(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_two_factor'),
        sa.UniqueConstraint('user_id', name='uq_two_factor_user_id'),
    )
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), primary_key=True),
        _user_id(fk='fk_recovery_code_user_id_user'),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_recovery_code'),
        sa.UniqueConstraint('user_id', 'code_hash', name='uq_recovery_code_user_id'),
    )
    op.create_index('ix_recovery_code_user_id', 'recovery_code', ['user_id'])


def downgrade():
    op.drop_index('ix_recovery_code_user_id', table_name='recovery_code')
    op.drop_table('recovery_code')
    op.drop_table('two_factor')
    op.drop_index('ix_staff_session_created_at', table_name='staff_session')
    op.drop_index('ix_staff_session_user_id', table_name='staff_session')
    op.drop_table('staff_session')
