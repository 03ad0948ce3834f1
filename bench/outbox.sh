#!/usr/bin/env bash
# The outbox's rate with two workers on one database, to the file transport, on SQLite and on
# PostgreSQL (a scratch database on the local server). Prints each run and the median.
# Usage: bench/outbox.sh [runs] [messages] [postgres-server-url]
source "$(dirname "$0")/lib.sh"
runs=${1:-5}
messages=${2:-20000}
postgres=${3:-postgres://postgres@127.0.0.1:5432}
build outbox
scratch
for backend in sqlite postgres; do
  for run in $(seq 1 "$runs"); do
    if [ "$backend" = sqlite ]; then
      rm -f "$work"/outbox.db*
      database="sqlite://$work/outbox.db"
    else
      psql "$postgres/postgres" -qc "DROP DATABASE IF EXISTS coproduce_outbox_bench" -c "CREATE DATABASE coproduce_outbox_bench" >/dev/null
      database="$postgres/coproduce_outbox_bench"
    fi
    line=$("$target/outbox" "$database" "$messages")
    echo "$backend run $run: $line"
    echo "$line" | awk '{ print $6 }' >> "$work/$backend"
  done
  median_of "$backend median: %s messages/s\n" < "$work/$backend"
done
