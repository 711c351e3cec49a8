#!/usr/bin/env bash
# Back up the board's PostgreSQL database (docs/deploy.md: Backups).
#
#   DATABASE_URL=postgresql://... deploy/backup.sh DIR [DAYS]
#
# Writes DIR/jobmatch-<UTC time>.dump in pg_dump's custom format (compressed, restored by
# deploy/restore.sh), readable by its owner only, and prints its path. A dump is complete
# or absent: it is written under another name and renamed when pg_dump succeeds. With
# DAYS, the dumps in DIR older than DAYS days are removed afterwards (minors' data is kept
# no longer than the retention period).
set -euo pipefail

dir=${1:?usage: deploy/backup.sh DIR [DAYS]}
days=${2:-}
url=${DATABASE_URL:?DATABASE_URL is not set: the database to back up}
url=${url/#postgresql+psycopg:/postgresql:}  # the board's spelling; pg_dump wants libpq's
if [[ ! $url =~ ^postgres(ql)?:// ]]; then
  echo "backup.sh: DATABASE_URL is not a PostgreSQL database (SQLite: copy it with sqlite3's .backup)" >&2
  exit 2
fi
if [[ -n $days && ! $days =~ ^[0-9]+$ ]]; then
  echo "backup.sh: DAYS must be a whole number of days, got '$days'" >&2
  exit 2
fi

umask 077
mkdir -p "$dir"
file="$dir/jobmatch-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --file="$file.partial" "$url"
mv "$file.partial" "$file"
if [[ -n $days ]]; then
  find "$dir" -maxdepth 1 -name 'jobmatch-*.dump' -mtime "+$days" -delete
fi
echo "$file"
