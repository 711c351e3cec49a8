"""Youths and parents: the language each is written to in (Danish unless chosen)

Revision ID: 0011_person_languages
Revises: 0010_page_indexes
Create Date: 2026-12-02 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_person_languages'
down_revision = '0010_page_indexes'
branch_labels = None
depends_on = None

LANGUAGES = "'da', 'en', 'ar', 'tr', 'so', 'uk'"


def upgrade():
    with op.batch_alter_table('youth', schema=None) as batch_op:
        for column in ('language', 'parent_language'):
            batch_op.add_column(
                sa.Column(column, sa.String(length=5), server_default='da', nullable=False)
            )
            batch_op.create_check_constraint(column, f"{column} IN ({LANGUAGES})")


def downgrade():
    with op.batch_alter_table('youth', schema=None) as batch_op:
        for column in ('parent_language', 'language'):
            batch_op.drop_constraint(batch_op.f(f'ck_youth_{column}'), type_='check')
            batch_op.drop_column(column)
