#!/usr/bin/env bash
# How long `coproduce serve` takes to answer /healthz on an empty SQLite database.
# Usage: bench/startup.sh [runs]
source "$(dirname "$0")/lib.sh"
runs=${1:-7}
build coproduce
times=()
for run in $(seq 1 "$runs"); do
  work=$(mktemp -d)
  port=$((20000 + RANDOM % 20000))
  start=$(date +%s%N)
  COPRODUCE_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --database "$work/empty.db" >/dev/null &
  server=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.005; done
  end=$(date +%s%N)
  kill "$server"; wait "$server" 2>/dev/null || true
  rm -rf "$work"
  ms=$(( (end - start) / 1000000 ))
  echo "run $run: ${ms} ms"
  times+=("$ms")
done
printf '%s\n' "${times[@]}" | median_of "median: %d ms\n"
