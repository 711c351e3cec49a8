"""SMS: the outbox's channel, SMS contacts with opt-in and STOP, incoming SMS; phones in E.164

Revision ID: 0015_sms
Revises: 0014_run_outcome
Create Date: 2026-12-02 06:40:00

"""
from alembic import op
import sqlalchemy as sa

from webapp.models.columns import UTCDateTime
from webapp.services.phones import normalised_or_none


# revision identifiers, used by Alembic.
revision = '0015_sms'
down_revision = '0014_run_outcome'
branch_labels = None
depends_on = None

PHONES = (("youth", ("phone", "parent_phone")), ("employer", ("contact_phone",)))


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='email', nullable=False))
        batch_op.add_column(sa.Column('quiet_at_night', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('topic', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('gateway_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('delivery', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('delivered_at', UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_topic'), ['topic'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_gateway_ref'), ['gateway_ref'], unique=False)
        batch_op.create_check_constraint('channel', "channel IN ('email', 'sms')")
        batch_op.create_check_constraint('delivery', "delivery IN ('', 'delivered', 'failed')")

    op.create_table('sms_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('opted_in', sa.Boolean(), nullable=False),
    sa.Column('changed_at', UTCDateTime(), nullable=False),
    sa.Column('stopped_at', UTCDateTime(), nullable=True),
    sa.CheckConstraint("role IN ('youth', 'parent')", name=op.f('ck_sms_contact_role')),
    sa.ForeignKeyConstraint(['youth_id'], ['youth.id'], name=op.f('fk_sms_contact_youth_id_youth'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_contact')),
    sa.UniqueConstraint('youth_id', 'role', name=op.f('uq_sms_contact_youth_id'))
    )
    op.create_table('incoming_sms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gateway_id', sa.String(length=64), nullable=False),
    sa.Column('sender', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('received_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['youth_id'], ['youth.id'], name=op.f('fk_incoming_sms_youth_id_youth'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incoming_sms')),
    sa.UniqueConstraint('gateway_id', name=op.f('uq_incoming_sms_gateway_id'))
    )
    with op.batch_alter_table('incoming_sms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incoming_sms_youth_id'), ['youth_id'], unique=False)
    _normalise_phones()


def _normalise_phones():
    """Phones stored before are written in E.164 where they are valid numbers (the rest stay)."""
    connection = op.get_bind()
    for table, columns in PHONES:
        for column in columns:
            rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} <> ''"))
            for row_id, value in rows.fetchall():
                number = normalised_or_none(value)
                if number and number != value:
                    connection.execute(
                        sa.text(f"UPDATE {table} SET {column} = :number WHERE id = :id"),
                        {"number": number, "id": row_id},
                    )


def downgrade():
    with op.batch_alter_table('incoming_sms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incoming_sms_youth_id'))
    op.drop_table('incoming_sms')
    op.drop_table('sms_contact')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_message_delivery'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_outbox_message_channel'), type_='check')
        batch_op.drop_index(batch_op.f('ix_outbox_message_gateway_ref'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_topic'))
        batch_op.drop_column('delivered_at')
        batch_op.drop_column('delivery')
        batch_op.drop_column('gateway_ref')
        batch_op.drop_column('topic')
        batch_op.drop_column('quiet_at_night')
        batch_op.drop_column('channel')
