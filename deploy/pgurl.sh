# shellcheck shell=bash
# Sourced by backup.sh and restore.sh: turns a database URL into libpq's PG* variables, so the
# password never appears on a command line (where `ps` would show it).
#
#   pg_env_from_url "postgresql+psycopg://user:p%40ss@db.example:5432/wellbeing?sslmode=require"
#   -> PGHOST=db.example PGPORT=5432 PGUSER=user PGPASSWORD=p@ss PGDATABASE=wellbeing PGSSLMODE=require

_pg_urldecode() {  # %XX escapes only: libpq keeps "+" as it is
  local text="${1//\\/\\\\}"
  printf '%b' "${text//%/\\x}"
}

# pg_env_from_url URL: exports PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and PGSSLMODE & co.
# from the query string). Returns 1 with a message on stderr when URL is not a PostgreSQL URL.
pg_env_from_url() {
  local url="$1" rest userinfo hostport query pair key value
  if [[ ! "$url" =~ ^postgres(ql)?(\+[A-Za-z0-9_]+)?:// ]]; then
    echo "not a PostgreSQL URL (postgresql://user:password@host:port/database)" >&2
    return 1
  fi
  unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE PGSSLROOTCERT PGSSLCERT PGSSLKEY PGCONNECT_TIMEOUT PGAPPNAME
  rest="${url#*://}"
  query=""
  if [[ "$rest" == *\?* ]]; then
    query="${rest#*\?}"
    rest="${rest%%\?*}"
  fi
  if [[ "$rest" == */* ]]; then
    export PGDATABASE
    PGDATABASE="$(_pg_urldecode "${rest#*/}")"
    rest="${rest%%/*}"
  fi
  if [[ "$rest" == *@* ]]; then
    userinfo="${rest%@*}"
    hostport="${rest##*@}"
    if [[ "$userinfo" == *:* ]]; then
      export PGPASSWORD
      PGPASSWORD="$(_pg_urldecode "${userinfo#*:}")"
      userinfo="${userinfo%%:*}"
    fi
    if [[ -n "$userinfo" ]]; then
      export PGUSER
      PGUSER="$(_pg_urldecode "$userinfo")"
    fi
  else
    hostport="$rest"
  fi
  if [[ "$hostport" =~ ^\[(.*)\](:([0-9]+))?$ ]]; then  # [IPv6]:port
    export PGHOST="${BASH_REMATCH[1]}"
    [[ -n "${BASH_REMATCH[3]}" ]] && export PGPORT="${BASH_REMATCH[3]}"
  elif [[ -n "$hostport" ]]; then
    if [[ "$hostport" == *:* ]]; then
      export PGPORT="${hostport##*:}"
      hostport="${hostport%:*}"
    fi
    if [[ -n "$hostport" ]]; then
      export PGHOST
      PGHOST="$(_pg_urldecode "$hostport")"
    fi
  fi
  if [[ -n "$query" ]]; then
    local IFS='&'
    for pair in $query; do
      key="${pair%%=*}"
      value="$(_pg_urldecode "${pair#*=}")"
      case "$key" in
        host) export PGHOST="$value" ;;
        port) export PGPORT="$value" ;;
        user) export PGUSER="$value" ;;
        password) export PGPASSWORD="$value" ;;
        dbname) export PGDATABASE="$value" ;;
        sslmode) export PGSSLMODE="$value" ;;
        sslrootcert) export PGSSLROOTCERT="$value" ;;
        sslcert) export PGSSLCERT="$value" ;;
        sslkey) export PGSSLKEY="$value" ;;
        connect_timeout) export PGCONNECT_TIMEOUT="$value" ;;
        application_name) export PGAPPNAME="$value" ;;
        *) echo "unsupported parameter in the database URL: $key" >&2; return 1 ;;
      esac
    done
  fi
  if [[ -z "${PGDATABASE:-}" ]]; then
    echo "the database URL names no database" >&2
    return 1
  fi
}
