"""Geocoding: the geocoder's answers, cached by the hash of the normalised query

Revision ID: 0008_geocode
Revises: 0007_what_if
Create Date: 2026-12-02 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_geocode'
down_revision = '0007_what_if'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('geocode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('query_hash', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('town', sa.String(length=80), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "outcome IN ('address', 'postcode', 'address_unknown', 'not_found')",
        name=op.f('ck_geocode_outcome'),
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geocode')),
    sa.UniqueConstraint('source', 'query_hash', name=op.f('uq_geocode_source'))
    )


def downgrade():
    op.drop_table('geocode')
