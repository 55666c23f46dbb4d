#!/usr/bin/env bash
# What the release job pays before it knows the version: a fresh clone, the install, then `chart-release
# next` on a small chart repository. Measures the install time (warm npm cache, like a CI cache hit), the
# size of the node_modules that install leaves, and the total from clone to version.
#
#   bash chart-release/bench/release-job.sh [REF]    (default HEAD; any commit of this repository)
#
# Layout by REF: with chart-release/package-lock.json it installs chart-release alone (`npm ci --prefix
# chart-release`, what chart-release.yml does), otherwise the whole stack at the root (the old workflow).
# Prints one JSON line. Uses the `node` and `npm` on PATH; run with Node 22 (the root's node_modules/.bin).
set -euo pipefail

ref="${1:-HEAD}"
repo_root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
work="$(mktemp -d "${TMPDIR:-/tmp}/chart-release-job-XXXXXX")"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# The repository the job versions: a chart with one release commit and one fix after it.
chart="$work/chart-repo"
git init --quiet -b main "$chart"
mkdir -p "$chart/chart"
printf 'apiVersion: v2\nname: mychart\nversion: 1.2.3\n' >"$chart/chart/Chart.yaml"
git -C "$chart" add -A
git -C "$chart" -c user.name=b -c user.email=b@example.invalid commit --quiet -m "chore(release): mychart 1.2.3"
echo "# values" >"$chart/chart/values.yaml"
git -C "$chart" add -A
git -C "$chart" -c user.name=b -c user.email=b@example.invalid commit --quiet -m "fix: a value"

start="$(now)"
git clone --quiet --no-local --no-checkout "$repo_root" "$work/checkout"
git -C "$work/checkout" checkout --quiet "$(git -C "$repo_root" rev-parse "$ref")"
cloned="$(now)"
if [[ -f "$work/checkout/chart-release/package-lock.json" ]]; then
    layout=standalone
    modules="$work/checkout/chart-release/node_modules"
    npm ci --prefix "$work/checkout/chart-release" --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null
    # Since issue 20 the install builds nothing (no `prepare`): the bundle is a build step of its own.
    if [[ ! -f "$work/checkout/chart-release/dist/cli.cjs" ]]; then
        npm run build --prefix "$work/checkout/chart-release" --silent >/dev/null
    fi
else
    layout=stack
    modules="$work/checkout/node_modules"
    (cd "$work/checkout" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
fi
installed="$(now)"
version="$(node "$work/checkout/chart-release/bin/chart-release" next --repo "$chart")"
done_at="$(now)"
# A second run: the steady state (the first one may build or warm a cache).
again_start="$(now)"
node "$work/checkout/chart-release/bin/chart-release" next --repo "$chart" >/dev/null
again_end="$(now)"

# A user's install: the packed tarball into an empty folder (standalone layout only).
tarball_json=""
if [[ "$layout" == standalone ]]; then
    tgz="$(cd "$work" && npm pack --silent "$work/checkout/chart-release" 2>/dev/null | tail -n 1)"
    mkdir "$work/user"
    t0="$(now)"
    npm install --prefix "$work/user" --offline --no-audit --no-fund --loglevel=error "$work/$tgz" >/dev/null
    t1="$(now)"
    node "$work/user/node_modules/.bin/chart-release" next --repo "$chart" >/dev/null
    tarball_json="$(printf ',"tarball_kb":%s,"tarball_install_s":%s,"tarball_node_modules_kb":%s' \
        "$(du -sk "$work/$tgz" | cut -f1)" "$(elapsed "$t0" "$t1")" "$(du -sk "$work/user/node_modules" | cut -f1)")"
fi

printf '{"ref":"%s","layout":"%s","version":"%s","node":"%s","npm":"%s","clone_s":%s,"install_s":%s,' \
    "$(git -C "$repo_root" rev-parse --short "$ref")" "$layout" "$version" "$(node --version)" "$(npm --version)" \
    "$(elapsed "$start" "$cloned")" "$(elapsed "$cloned" "$installed")"
printf '"first_next_s":%s,"second_next_s":%s,"clone_to_version_s":%s,"node_modules_mb":%s%s,"load":"%s"}\n' \
    "$(elapsed "$installed" "$done_at")" "$(elapsed "$again_start" "$again_end")" \
    "$(elapsed "$start" "$done_at")" "$(du -sm "$modules" | cut -f1)" "$tarball_json" "$(cut -d' ' -f1-3 /proc/loadavg)"
