"""Parents' consent links, youths' sign-in codes and sessions, youths' answers to proposals

Revision ID: 0012_family
Revises: 0011_person_languages
Create Date: 2026-12-02 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0012_family'
down_revision = '0011_person_languages'
branch_labels = None
depends_on = None

WAITING = sa.text("status = 'pending'")


def upgrade():
    op.create_table(
        'consent_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('youth_id', sa.Integer(), nullable=False),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('nonce_digest', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('sent_by', sa.String(length=20), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answer_channel', sa.String(length=10), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'consented', 'refused', 'revoked')",
            name=op.f('ck_consent_request_status'),
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user.id'], name=op.f('fk_consent_request_created_by_id_user'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['placement_id'], ['placement.id'],
            name=op.f('fk_consent_request_placement_id_placement'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['youth_id'], ['youth.id'], name=op.f('fk_consent_request_youth_id_youth'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_request')),
        sa.UniqueConstraint('nonce_digest', name=op.f('uq_consent_request_nonce_digest')),
    )
    with op.batch_alter_table('consent_request', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_consent_request_placement_id'), ['placement_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_consent_request_youth_id'), ['youth_id'], unique=False
        )
        batch_op.create_index(
            'uq_consent_request_waiting', ['placement_id'], unique=True,
            sqlite_where=WAITING, postgresql_where=WAITING,
        )

    op.create_table(
        'youth_login_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('youth_id', sa.Integer(), nullable=False),
        sa.Column('ticket_digest', sa.String(length=64), nullable=False),
        sa.Column('code_digest', sa.String(length=64), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['youth_id'], ['youth.id'], name=op.f('fk_youth_login_code_youth_id_youth'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_youth_login_code')),
        sa.UniqueConstraint('ticket_digest', name=op.f('uq_youth_login_code_ticket_digest')),
    )
    with op.batch_alter_table('youth_login_code', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_youth_login_code_created_at'), ['created_at'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_youth_login_code_youth_id'), ['youth_id'], unique=False
        )

    op.create_table(
        'youth_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('youth_id', sa.Integer(), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['youth_id'], ['youth.id'], name=op.f('fk_youth_session_youth_id_youth'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_youth_session')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_youth_session_token_digest')),
    )
    with op.batch_alter_table('youth_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_youth_session_youth_id'), ['youth_id'], unique=False)

    op.create_table(
        'proposal_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('youth_id', sa.Integer(), nullable=False),
        sa.Column('answer', sa.String(length=10), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("answer IN ('yes', 'no')", name=op.f('ck_proposal_answer_answer')),
        sa.ForeignKeyConstraint(
            ['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_answer_proposal_id_proposal'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['youth_id'], ['youth.id'], name=op.f('fk_proposal_answer_youth_id_youth'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_answer')),
        sa.UniqueConstraint('proposal_id', name=op.f('uq_proposal_answer_proposal_id')),
    )
    with op.batch_alter_table('proposal_answer', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_proposal_answer_youth_id'), ['youth_id'], unique=False
        )


def downgrade():
    op.drop_table('proposal_answer')
    op.drop_table('youth_session')
    op.drop_table('youth_login_code')
    op.drop_table('consent_request')
