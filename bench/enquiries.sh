#!/usr/bin/env bash
# Load test: the "ask to get involved" form sent by many people at once, each enquiry written
# durably (SQLite, synchronous=FULL) with its confirmation email queued, before the thank-you
# redirect. Then a crash test: bench/enquiry_crash.mjs sends enquiries, kills the server with
# SIGKILL part way, restarts it and checks every enquiry that got its thank-you page is stored.
# Usage: bench/enquiries.sh [runs] [seconds] [connections]
source "$(dirname "$0")/lib.sh"
load_test "$@"
need sqlite3

scratch
# One address sends everything here, so the per-address limit is turned off for the test.
COPRODUCE_OUTBOX="${BENCH_OUTBOX:-file:$work/outbox}" start_server 200 serve --database "$db" --enquiry-limit 0
token=$(curl -fs -c "$work/jar" "$base/get-involved/ask" | form_token)
[ -n "$token" ] || { echo "no form token" >&2; exit 1; }

results="$work/results"
for run in $(seq 1 "$runs"); do
  # Keys signed with the server's secret, a file a wrk thread, fresh each run.
  for thread in 1 2; do node bench/form_keys.mjs "$db" 60000 "r${run}t${thread}" > "$work/keys$run-$thread"; done
  BENCH_KEYS="$work/keys$run-" wrk_run "run $run" enquiries "$results" \
    -t2 -c"$connections" -d"${seconds}s" --latency -s bench/enquiries.lua "$base" -- "$token"
done
medians "$results" enquiries
stop_server
echo "enquiries stored: $(sqlite3 "$db" 'SELECT COUNT(*) FROM enquiries')"

node bench/enquiry_crash.mjs "$bin"
