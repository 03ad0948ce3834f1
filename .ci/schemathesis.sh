#!/usr/bin/env bash
# The API against schemathesis with every check on, on a fresh demo database (so that requests
# can name services, people and groups that exist) and an admin's API token made by the command
# line while the server runs. Installs the pinned schemathesis into a virtual environment in the
# target directory the first time. Usage: .ci/schemathesis.sh [max-examples per operation].
# Prints how long it took; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-40}
target="${CARGO_TARGET_DIR:-target}"
venv="$target/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --require-hashes -r .ci/schemathesis-requirements.txt
fi
cargo build --quiet --bin coproduce
bin="$target/debug/coproduce"
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
db="$work/api.db"
export COPRODUCE_LOG=warn
port=$((20000 + RANDOM % 20000))
"$bin" demo --bind "127.0.0.1:$port" --database "$db" --outbox "file:$work/outbox" --enquiry-limit 0 >/dev/null &
server=$!
for _ in $(seq 1 400); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
token=$("$bin" token create --email priya.okafor@harbourside.example --database "$db")
started=$(date +%s)
status=0
"$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$port/api/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $token" \
  --max-examples "$examples" \
  --seed 1 \
  --workers 1 \
  --request-timeout 10 \
  --report-dir "$work/report" ${SCHEMATHESIS_ARGS:-} \
  || status=$?
echo "schemathesis took $(( $(date +%s) - started )) s"
exit $status
