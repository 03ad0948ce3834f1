#!/usr/bin/env bash
# Load test: a group's page (a hundred weekly meetings, 52 a year back), its calendar feed, and a
# person's secret calendar feed, on the same generated data as bench/people.sh (100,000 people,
# 20,000 meetings). Usage: bench/meetings.sh [runs] [seconds] [connections]
source "$(dirname "$0")/lib.sh"
BENCH_MODES="group groupfeed feed" exec bench/people.sh "${1:-5}" "${2:-10}" "${3:-32}"
