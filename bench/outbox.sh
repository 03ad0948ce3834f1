#!/usr/bin/env bash
# The outbox's rate with two workers on one database, to the file transport, on SQLite and on
# PostgreSQL (a scratch database on the local server). Prints each run and the median.
# Usage: bench/outbox.sh [runs] [messages] [postgres-server-url]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
messages=${2:-20000}
server=${3:-postgres://postgres@127.0.0.1:5432}
target="${CARGO_TARGET_DIR:-target}/release"
cargo build --release --bin outbox >/dev/null 2>&1 || cargo build --release --bin outbox
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for backend in sqlite postgres; do
  for run in $(seq 1 "$runs"); do
    if [ "$backend" = sqlite ]; then
      rm -f "$work"/outbox.db*
      database="sqlite://$work/outbox.db"
    else
      psql "$server/postgres" -qc "DROP DATABASE IF EXISTS coproduce_outbox_bench" -c "CREATE DATABASE coproduce_outbox_bench" >/dev/null
      database="$server/coproduce_outbox_bench"
    fi
    line=$("$target/outbox" "$database" "$messages")
    echo "$backend run $run: $line"
    echo "$line" | awk '{ print $6 }' >> "$work/$backend"
  done
  sort -n "$work/$backend" | awk -v b="$backend" '{ a[NR] = $1 } END { printf "%s median: %s messages/s\n", b, a[int((NR + 1) / 2)] }'
done
