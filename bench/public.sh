#!/usr/bin/env bash
# Load test: the public pages anyone sees without signing in, /get-involved, /opportunities and
# "You said, we did" (standard and Easy Read), on SQLite, over loopback with wrk. The data is the
# demo's, plus opportunities copied until 40 are open to the public (a busy trust's worth) and
# published improvements copied until there are 500.
# Usage: bench/public.sh [runs] [seconds] [connections]
source "$(dirname "$0")/lib.sh"
load_test "$@"
need sqlite3

scratch
COPRODUCE_OUTBOX="file:$work/outbox" start_server 400 demo --database "$db"
cols="title, kind, service_id, starts_on, start_time, end_time, dates_note, place, venue, access_info, places, asked, support, support_notes, requirements, payment, closes_on, description, easy_read, visibility, minutes, created_at, updated_at"
for _ in $(seq 1 38); do
  sqlite3 "$db" "PRAGMA busy_timeout = 5000; INSERT INTO opportunities ($cols) SELECT $cols FROM opportunities WHERE visibility = 'public' LIMIT 1;" >/dev/null
done
open=$(curl -fs "$base/opportunities" | grep -c 'class="nhsuk-card__link"')
echo "public opportunities listed: $open"
icols="service_id, you_said, we_did, evidence, changed_on, quote, quote_person_id, you_said_easy, we_did_easy, published, created_by, created_at, updated_at"
while :; do
  have=$(sqlite3 "$db" "SELECT COUNT(*) FROM improvements WHERE published = 1")
  [ "$have" -ge 500 ] && break
  sqlite3 "$db" "PRAGMA busy_timeout = 5000; INSERT INTO improvements ($icols) SELECT $icols FROM improvements WHERE published = 1 LIMIT $((500 - have));" >/dev/null
done
sleep 2 # the public list is kept for two seconds
shown=$(curl -fs "$base/you-said-we-did" | grep -c '<h3 class="nhsuk-heading-s">We did</h3>')
service=$(sqlite3 "$db" "SELECT MIN(service_id) FROM improvements")
all=$(curl -fs "$base/you-said-we-did?service=$service" | grep -c '<h3 class="nhsuk-heading-s">We did</h3>')
echo "published improvements: $shown on the page, $all on one service's page"

for path in /get-involved /opportunities /you-said-we-did /you-said-we-did/easy-read "/you-said-we-did?service=$service"; do
  results="$work/results-${path//[\/?=]/_}"
  for run in $(seq 1 "$runs"); do
    wrk_run "$path run $run" requests "$results" -t2 -c"$connections" -d"${seconds}s" --latency "$base$path"
  done
  medians "$results" requests "$path"
done
