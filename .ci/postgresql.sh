# Start a throwaway PostgreSQL server (Debian's package) for the test suite and export
# STORYLINE_TEST_POSTGRESQL_URL; source it from bash, as root. Its data lives in a temporary
# folder and the server is stopped when the sourcing shell exits.
# Usage: source .ci/postgresql.sh   (then: make test)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pg_bin" ]; then
  echo "postgresql.sh: PostgreSQL is not installed (apt-get install postgresql); its tests will skip" >&2
  return 0 2>/dev/null || exit 0
fi
if [ "$(id -u)" != 0 ] || ! id postgres >/dev/null 2>&1; then
  echo "postgresql.sh: needs root and the postgres user to start a server; the PostgreSQL tests will skip" >&2
  return 0 2>/dev/null || exit 0
fi
pg_port=${STORYLINE_CI_PG_PORT:-55439}
pg_data=$(mktemp -d /tmp/storyline-pg.XXXXXX)
chown postgres "$pg_data"
su postgres -c "$pg_bin/initdb -D $pg_data -A trust -U postgres --no-sync" >/dev/null
su postgres -c "$pg_bin/pg_ctl -D $pg_data -l $pg_data/server.log -w \
  -o '-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start" >/dev/null
export STORYLINE_TEST_POSTGRESQL_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/postgres"
trap "su postgres -c '$pg_bin/pg_ctl -D $pg_data -m immediate stop' >/dev/null 2>&1; rm -rf $pg_data" EXIT
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port for the tests"
