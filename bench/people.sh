#!/usr/bin/env bash
# Load test: the keep-in-touch queue, people search and the person page, on SQLite with generated
# data (100,000 people, 2,000,000 contacts and 20,000 meetings by default), signed in as a service
# staff member. BENCH_MODES picks other pages (see bench/people.lua), e.g. bench/meetings.sh.
# Usage: bench/people.sh [runs] [seconds] [connections] [people] [contacts-per-person]
source "$(dirname "$0")/lib.sh"
load_test "$@"
people=${4:-100000}
per_person=${5:-20}
build generate

# The cached data is named after the schema it was made with, so a new migration makes new data.
schema=$(cat crates/store/migrations/sqlite/*.sql | sha1sum | cut -c1-8)
data="${BENCH_DATA:-${TMPDIR:-/tmp}/coproduce-bench-$people-$per_person-$schema.db}"
if [ ! -f "$data" ]; then
  rm -f "$data.tmp" "$data.tmp-wal" "$data.tmp-shm"
  "$target/generate" "$data.tmp" "$people" "$per_person"
  mv "$data.tmp" "$data"
  mv "$data.tmp.audit-key" "$data.audit-key"
  rm -f "$data.tmp-wal" "$data.tmp-shm"
fi
scratch
cp "$data" "$db"
cp "$data.audit-key" "$db.audit-key"
start_server 200 serve --database "$db"

jar="$work/cookies"
sign_in "$jar" staff0@bench.example "kettle lantern orchard velvet"
session_of "$jar"

for mode in ${BENCH_MODES:-queue search person}; do
  results="$work/$mode"
  for run in $(seq 1 "$runs"); do
    wrk_run "$mode run $run" requests "$results" -t2 -c"$connections" -d"${seconds}s" --latency \
      -H "Cookie: coproduce_session=$session" -s bench/people.lua "$base" -- "$mode" "$people"
  done
  medians "$results" requests "$mode"
done
