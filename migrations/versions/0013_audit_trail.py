"""The audit trail: who viewed, exported, changed, erased or anonymised a youth's data, and account actions

Revision ID: 0013_audit_trail
Revises: 0012_family
Create Date: 2026-12-02 06:40:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0013_audit_trail'
down_revision = '0012_family'
branch_labels = None
depends_on = None

# The trail is append-only. PostgreSQL refuses every UPDATE, and every DELETE or TRUNCATE
# but the retention purge's, which sets jobmatch.audit_purge for its own transaction.
POSTGRES_GUARD = """
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE')
            AND coalesce(current_setting('jobmatch.audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
"""
# SQLite has no per-transaction setting for the purge to set: it refuses UPDATE only.
SQLITE_GUARD = """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused');
END
"""


def upgrade():
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_public_id', sa.String(length=16), nullable=True),
        sa.Column('actor_role', sa.String(length=20), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('youth_public_id', sa.String(length=16), nullable=True),
        sa.Column('user_public_id', sa.String(length=16), nullable=True),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry')),
    )
    op.create_index('ix_audit_entry_at', 'audit_entry', ['at'], unique=False)
    op.create_index('ix_audit_entry_user', 'audit_entry', ['user_public_id', 'id'], unique=False)
    op.create_index('ix_audit_entry_youth', 'audit_entry', ['youth_public_id', 'id'], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute(POSTGRES_GUARD)
    elif dialect == 'sqlite':
        op.execute(SQLITE_GUARD)


def downgrade():
    op.drop_table('audit_entry')  # its triggers go with it
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION audit_entry_append_only()')
