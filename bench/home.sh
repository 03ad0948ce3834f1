#!/usr/bin/env bash
# Load test: the page a signed-in service staff member starts at (their keep-in-touch queue,
# here empty), on SQLite, over loopback with wrk.
# Usage: bench/home.sh [runs] [seconds] [connections]
# Prints wrk's summary for each run, then the median requests/s and p99 latency.
source "$(dirname "$0")/lib.sh"
load_test "$@"

scratch
password="kettle lantern orchard velvet"
printf '%s\n' "$password" | "$bin" staff add --email bench@example.org --name "Bench Staff" --role staff --password-stdin --database "$db" >/dev/null
start_server 100 serve --database "$db"

jar="$work/cookies"
sign_in "$jar" bench@example.org "$password"
session_of "$jar"
curl -fs -H "Cookie: coproduce_session=$session" "$base/keep-in-touch" | grep -q "Nobody is due a contact"

results="$work/results"
for run in $(seq 1 "$runs"); do
  wrk_run "run $run" requests "$results" \
    -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: coproduce_session=$session" "$base/keep-in-touch"
done
medians "$results" requests
