#!/usr/bin/env bash
# Back up the Welbevinden in beeld database: pg_dump in custom format with a UTC timestamp in the
# name, checked with pg_restore --list, and backups older than the retention removed.
#
#   DATABASE_URL=postgresql://user:pw@host/wellbeing deploy/backup.sh [--dir DIR] [--keep-days N]
#
# DATABASE_URL  the database (required; the app's own URL, postgresql+psycopg:// works too)
# BACKUP_DIR    where backups go (default /var/backups/wellbeing); --dir wins
# BACKUP_KEEP_DAYS  backups of this database older than this many days are deleted (default 14);
#               --keep-days wins
#
# Prints the new backup's path. Exits non-zero when anything fails; a failed run leaves no file
# behind and deletes no old backup. Restore with deploy/restore.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=pgurl.sh
source "$here/pgurl.sh"

die() { echo "backup.sh: $*" >&2; exit 1; }

dir="${BACKUP_DIR:-/var/backups/wellbeing}"
keep="${BACKUP_KEEP_DAYS:-14}"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || die "--dir needs a folder"; dir="$2"; shift 2 ;;
    --keep-days) [ $# -ge 2 ] || die "--keep-days needs a number"; keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
if ! [[ "$keep" =~ ^[1-9][0-9]*$ ]]; then die "the retention must be a whole number of days, at least 1: $keep"; fi
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set"
pg_env_from_url "$DATABASE_URL" || die "DATABASE_URL: see above"
command -v pg_dump >/dev/null || die "pg_dump is not installed (Debian: postgresql-client)"

umask 077  # the backups hold personal data
mkdir -p "$dir"
name="$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
target="$dir/$name"
partial="$target.partial"
[ ! -e "$target" ] || die "$target exists already"
trap 'rm -f "$partial"' EXIT

pg_dump --no-password --format=custom --compress=6 --file="$partial" \
  || die "pg_dump of $PGDATABASE on ${PGHOST:-the local socket} failed"
pg_restore --list "$partial" >/dev/null || die "the new backup cannot be read back"
mv "$partial" "$target"
trap - EXIT

# Only now that a good backup exists: remove this database's backups past the retention.
find "$dir" -maxdepth 1 -type f -name "$PGDATABASE-*.dump" ! -name "$name" -mmin +$((keep * 1440)) -print \
  | while IFS= read -r old; do rm -f -- "$old" && echo "backup.sh: removed $old (older than $keep days)" >&2; done
echo "$target"
