#!/usr/bin/env bash
# Start a throwaway PostgreSQL server (Debian's postgresql package) for the tests that run the SQL this stack
# ships against a real catalog (test/components/devData/postgres.test.ts), installing the package when it is
# missing. Unix socket only (listen_addresses=''), trust auth, in a fresh directory under /tmp. Idempotent: a
# server this script started earlier that still answers is reused. Prints "<socket dir> <port>", nothing else.
#
#   RELEASE_PIPELINE_PG_STATE  state file (default /tmp/release-pipeline-postgres.state)
set -euo pipefail

state="${RELEASE_PIPELINE_PG_STATE:-/tmp/release-pipeline-postgres.state}"
port=5432

log() { printf 'start-postgres: %s\n' "$*" >&2; }
find_bindir() { find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1; }

bindir="$(find_bindir || true)"
if [[ -f "$state" && -n "$bindir" ]]; then
    read -r dir old_port <"$state" || true
    if [[ -n "${dir:-}" ]] && "$bindir/pg_isready" -q -h "$dir" -p "${old_port:-$port}"; then
        log "reusing the server at $dir (port $old_port)"
        echo "$dir $old_port"
        exit 0
    fi
fi

if [[ -z "$bindir" ]]; then
    if [[ "$(id -u)" != 0 ]]; then
        log "postgresql is missing and this is not root: install it with apt-get install postgresql"
        exit 1
    fi
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >&2
    apt-get install -y -qq --no-install-recommends postgresql </dev/null >&2
    bindir="$(find_bindir)"
fi

# PostgreSQL refuses to run as root: root runs it as the package's postgres user.
if [[ "$(id -u)" == 0 ]]; then
    as_server() { runuser -u postgres -- "$@"; }
else
    as_server() { "$@"; }
fi

dir="$(mktemp -d /tmp/release-pipeline-pg.XXXXXX)"
[[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
chmod 755 "$dir"
as_server "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-instructions >/dev/null
as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses='' -k $dir -p $port" start >/dev/null
echo "$dir $port" >"$state"
log "started $("$bindir/postgres" --version) at $dir (port $port)"
echo "$dir $port"
