"""Matching runs: problem and solution, proposals' public ids and decisions, seats filled, school holidays

Revision ID: 0003_matching
Revises: 0002_preferences
Create Date: 2026-11-28 19:46:16.853320

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_matching'
down_revision = '0002_preferences'
branch_labels = None
depends_on = None


EVENT_KINDS = (
    "registered", "approved", "updated", "archived", "step", "placed", "started", "ended",
    "external_job", "milestone", "note",
)
NEW_EVENT_KINDS = ("proposed", "declined", "feedback")


def _kinds(kinds) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _fill_public_ids(table: str) -> None:
    """Give rows made before this revision an opaque public id."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
    for row_id in rows:
        bind.execute(
            sa.text(f"UPDATE {table} SET public_id = :public_id WHERE id = :id"),
            {"public_id": secrets.token_urlsafe(9), "id": row_id},
        )


def upgrade():
    op.create_table('school_holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('first_day <= last_day', name=op.f('ck_school_holiday_span')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_holiday'))
    )
    with op.batch_alter_table('school_holiday', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_holiday_municipality'), ['municipality'], unique=False)

    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.add_column(sa.Column('municipality', sa.String(length=80), server_default='', nullable=False))

    # New NOT NULL columns of tables that may hold rows: added empty, filled, then tightened.
    for table in ('match_run', 'proposal'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('public_id', sa.String(length=16), nullable=True))
            if table == 'match_run':
                batch_op.add_column(sa.Column('problem', sa.JSON(), nullable=True))
                batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))
                batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
            else:
                batch_op.add_column(sa.Column('reasons', sa.JSON(), nullable=True))
                batch_op.add_column(sa.Column('decline_reason', sa.Text(), nullable=True))
                batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        _fill_public_ids(table)
    op.execute("UPDATE match_run SET problem = '{}', error = ''")
    op.execute("UPDATE proposal SET reasons = '{}', decline_reason = ''")
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column('problem', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('error', existing_type=sa.Text(), nullable=False)
        batch_op.create_index(batch_op.f('ix_match_run_public_id'), ['public_id'], unique=True)
        batch_op.create_check_constraint(
            'status', "status IN ('pending', 'running', 'done', 'failed')"
        )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column('reasons', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('decline_reason', existing_type=sa.Text(), nullable=False)
        batch_op.create_index(batch_op.f('ix_proposal_public_id'), ['public_id'], unique=True)
        batch_op.create_check_constraint(
            'status', "status IN ('proposed', 'sent', 'accepted', 'declined', 'withdrawn')"
        )

    with op.batch_alter_table('opening', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filled', sa.Integer(), server_default='0', nullable=False))
    # Positions already held by confirmed or started placements.
    op.execute(
        "UPDATE opening SET filled = (SELECT COUNT(*) FROM placement"
        " WHERE placement.opening_id = opening.id"
        " AND placement.status IN ('confirmed', 'started'))"
    )
    op.execute("UPDATE opening SET filled = positions WHERE filled > positions")
    with op.batch_alter_table('opening', schema=None) as batch_op:
        batch_op.create_check_constraint('filled', 'filled >= 0 AND filled <= positions')

    with op.batch_alter_table('pair_rule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint('rule', "rule IN ('pin', 'forbid')")

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_at', sa.DateTime(timezone=True), nullable=True))

    # A proposal sent to the employer, declined, and the employer's feedback on the timeline.
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_timeline_event_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(EVENT_KINDS + NEW_EVENT_KINDS))


def downgrade():
    op.execute(
        "DELETE FROM timeline_event WHERE kind IN ("
        + ", ".join(f"'{k}'" for k in NEW_EVENT_KINDS) + ")"
    )
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_timeline_event_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(EVENT_KINDS))

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_column('feedback_at')

    with op.batch_alter_table('pair_rule', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_pair_rule_rule'), type_='check')
        batch_op.drop_column('reason')

    with op.batch_alter_table('opening', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_opening_filled'), type_='check')
        batch_op.drop_column('filled')

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_proposal_status'), type_='check')
        batch_op.drop_index(batch_op.f('ix_proposal_public_id'))
        batch_op.drop_column('public_id')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('decline_reason')
        batch_op.drop_column('reasons')

    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_match_run_status'), type_='check')
        batch_op.drop_index(batch_op.f('ix_match_run_public_id'))
        batch_op.drop_column('public_id')
        batch_op.drop_column('started_at')
        batch_op.drop_column('error')
        batch_op.drop_column('problem')

    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.drop_column('municipality')

    with op.batch_alter_table('school_holiday', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_holiday_municipality'))

    op.drop_table('school_holiday')
