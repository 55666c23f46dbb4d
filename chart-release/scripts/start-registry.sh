#!/usr/bin/env bash
# Start a throwaway OCI registry (Debian's docker-registry, i.e. CNCF distribution) on loopback for the
# chart-release tests, installing the package when it is missing. Idempotent: when the registry this script
# started earlier still answers, it is reused. Prints the address (127.0.0.1:PORT) on stdout, nothing else.
#
#   CHART_RELEASE_REGISTRY_STATE  state file (default /tmp/chart-release-registry.state)
#   CHART_RELEASE_REGISTRY_PORT   first port to try (default 5055; the next free one up to +40 is used)
set -euo pipefail

state="${CHART_RELEASE_REGISTRY_STATE:-/tmp/chart-release-registry.state}"
first_port="${CHART_RELEASE_REGISTRY_PORT:-5055}"

log() { printf 'start-registry: %s\n' "$*" >&2; }

answers() { curl -fsS -o /dev/null --max-time 2 "http://$1/v2/" 2>/dev/null; }

if [[ -f "$state" ]]; then
    read -r pid addr dir <"$state" || true
    if [[ -n "${pid:-}" ]] && kill -0 "$pid" 2>/dev/null && answers "$addr"; then
        log "reusing registry pid $pid at $addr (storage $dir)"
        echo "$addr"
        exit 0
    fi
fi

if ! command -v docker-registry >/dev/null 2>&1; then
    log "installing docker-registry"
    if [[ "$(id -u)" != 0 ]]; then
        log "docker-registry is missing and this is not root: install it with apt-get install docker-registry"
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >&2
    # The package's init script must not start the system-wide instance on :5000; policy-rc.d usually
    # forbids it in containers already, and we never rely on that instance.
    apt-get install -y -qq --no-install-recommends docker-registry </dev/null >&2
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=""
for ((p = first_port; p <= first_port + 40; p++)); do
    if ! port_in_use "$p"; then
        port="$p"
        break
    fi
done
if [[ -z "$port" ]]; then
    log "no free port in $first_port..$((first_port + 40))"
    exit 1
fi

dir="$(mktemp -d /tmp/chart-release-registry.XXXXXX)"
addr="127.0.0.1:$port"
cat >"$dir/config.yml" <<CONFIG
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $addr
CONFIG

# setsid + nohup: the registry must outlive this script and the shell that ran it (CI runs it as a step).
setsid nohup docker-registry serve "$dir/config.yml" </dev/null >"$dir/registry.log" 2>&1 &
pid=$!

for _ in $(seq 1 100); do
    if answers "$addr"; then
        echo "$pid $addr $dir" >"$state"
        log "registry pid $pid serving on $addr (storage $dir, log $dir/registry.log)"
        echo "$addr"
        exit 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
log "registry did not come up on $addr; its log:"
cat "$dir/registry.log" >&2 || true
exit 1
