#!/usr/bin/env bash
# Restore a dump of deploy/backup.sh into a new, empty database (docs/deploy.md: Backups).
#
#   createdb jobmatch_restored && deploy/restore.sh FILE postgresql://.../jobmatch_restored
#
# Refuses a database that has tables already, so that it never writes over the live one.
# The restore is one transaction: when anything fails, the target stays empty. Roles and
# grants are not restored (the target's owner owns everything). Prints the schema version.
set -euo pipefail

file=${1:?usage: deploy/restore.sh FILE TARGET_URL}
target=${2:?usage: deploy/restore.sh FILE TARGET_URL}
target=${target/#postgresql+psycopg:/postgresql:}
if [[ ! -r $file ]]; then
  echo "restore.sh: cannot read the dump '$file'" >&2
  exit 2
fi

tables=$(psql "$target" --no-psqlrc -Atc \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [[ $tables != 0 ]]; then
  echo "restore.sh: the target database has $tables tables already: restore into a new, empty one (createdb)" >&2
  exit 1
fi
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$target" "$file"
# A dump holds no planner statistics: gather them, or the first hours plan as if every table
# had a row or two.
psql "$target" --no-psqlrc -qc "ANALYZE"
version=$(psql "$target" --no-psqlrc -Atc "SELECT version_num FROM alembic_version")
echo "restored at schema version $version"
