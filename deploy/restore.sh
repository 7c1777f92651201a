#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into a database.
#
#   deploy/restore.sh [--force] BACKUP.dump TARGET_DATABASE_URL
#
# The target database must exist (createdb, or CREATE DATABASE). A target that already holds
# tables, views or sequences is refused unless --force is given; with --force the objects in the
# backup are dropped and recreated first (pg_restore --clean). Stop web, worker and scheduler
# before restoring into the live database. Ownership and grants are not restored: everything
# belongs to the role in TARGET_DATABASE_URL. One transaction: on any error nothing changes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=pgurl.sh
source "$here/pgurl.sh"

die() { echo "restore.sh: $*" >&2; exit 1; }

force=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1; shift ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option: $1 (see --help)" ;;
    *) args+=("$1"); shift ;;
  esac
done
[ ${#args[@]} -eq 2 ] || die "usage: restore.sh [--force] BACKUP.dump TARGET_DATABASE_URL"
dump="${args[0]}"
if [ ! -f "$dump" ] || [ ! -r "$dump" ]; then die "no readable backup at $dump"; fi
pg_env_from_url "${args[1]}" || die "TARGET_DATABASE_URL: see above"
for tool in pg_restore psql; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: postgresql-client)"
done
pg_restore --list "$dump" >/dev/null || die "$dump is not a backup in pg_dump's custom format"

objects="$(psql --no-password --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 --command="
  SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'")" \
  || die "cannot connect to $PGDATABASE on ${PGHOST:-the local socket}"
options=(--no-password --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PGDATABASE")
if [ "$objects" -gt 0 ]; then
  [ "$force" -eq 1 ] || die "$PGDATABASE is not empty ($objects tables, views or sequences); give --force to replace what the backup holds"
  options+=(--clean --if-exists)
fi
pg_restore "${options[@]}" "$dump" || die "pg_restore failed; $PGDATABASE is unchanged"
echo "restore.sh: $dump restored into $PGDATABASE on ${PGHOST:-the local socket}" >&2
