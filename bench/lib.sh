# Sourced by the bench scripts (`source "$(dirname "$0")/lib.sh"`) for the steps they all take:
# from the repository's root, build the release binaries, start a server and sign in as a browser
# would, and summarise wrk's runs. What a script measures stays in the script.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}/release"
bin="$target/coproduce"

# load_test [runs] [seconds] [connections]: what every wrk load test starts with: its first
# arguments (with their defaults), the server built, and wrk.
load_test() {
  runs=${1:-5}
  seconds=${2:-10}
  connections=${3:-32}
  build coproduce
  need wrk
}

# build BIN...: quietly, and only when that fails again with the output, so the errors show.
build() {
  local args=() name
  for name in "$@"; do args+=(--bin "$name"); done
  cargo build --release "${args[@]}" >/dev/null 2>&1 || cargo build --release "${args[@]}"
}

# need TOOL...: stop early, with how to get it, rather than part way through a run.
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install $tool" >&2; exit 2; }
  done
}

# scratch: a folder for the run in $work (with $db, a database file in it), removed on exit
# with the server ($server) if one runs.
# The killed server's wait fails, and under set -e that would end the trap before the folder goes.
scratch() {
  work=$(mktemp -d)
  db="$work/bench.db"
  server=""
  trap '[ -n "$server" ] && { kill $server 2>/dev/null; wait $server 2>/dev/null || true; }; rm -rf "$work"' EXIT
}

# start_server TRIES COMMAND ARGS...: `coproduce COMMAND` in the background ($server) on a
# random loopback port (its address in $base), then up to TRIES polls of /healthz 50 ms apart.
start_server() {
  local tries=$1 command=$2
  shift 2
  port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port"
  COPRODUCE_LOG=warn "$bin" "$command" --bind "127.0.0.1:$port" "$@" >/dev/null &
  server=$!
  for _ in $(seq 1 "$tries"); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.05; done
}

# stop_server: kill the server and wait for it, so the next can take the database.
stop_server() {
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
}

# form_token: the CSRF token of the first form in the page on stdin.
form_token() { sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1; }

# sign_in JAR EMAIL PASSWORD: the sign-in form's cookie and token, then the form, into JAR.
sign_in() {
  local jar=$1 email=$2 password=$3 token
  token=$(curl -fs -c "$jar" "$base/sign-in" | form_token)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" --data-urlencode "email=$email" \
    --data-urlencode "password=$password" "$base/sign-in"
}

# session_of JAR: the session cookie sign_in got, in $session; stop if there is none.
session_of() {
  session=$(awk '$6 == "coproduce_session" { print $7 }' "$1")
  [ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
}

# import_form JAR: the import page's form token ($token) and its first service ($service).
import_form() {
  local form
  form=$(curl -fs -b "$1" "$base/people/import")
  token=$(echo "$form" | form_token)
  service=$(echo "$form" | sed -n 's/.*<option value="\([0-9]*\)">.*/\1/p' | head -n 1)
}

# wrk_run LABEL UNIT RESULTS WRK-ARGS...: one wrk run, its rate and p99 printed and added to
# RESULTS. Non-2xx answers are flagged for pages; an enquiry is answered with a redirect, so not
# for enquiries.
wrk_run() {
  local label=$1 unit=$2 results=$3 out rps p99 non2xx cpu_before cpu total cpu_per
  shift 3
  cpu_before=$(server_cpu)
  out=$(wrk "$@")
  cpu=$(( $(server_cpu) - cpu_before ))
  rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  total=$(echo "$out" | awk '/requests in/ { print $1 }')
  cpu_per=$(awk -v c="$cpu" -v n="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (n > 0 ? c * 1e6 / hz / n : 0) }')
  non2xx=""
  [ "$unit" = enquiries ] || non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  echo "$label: ${rps} $unit/s, p99 ${p99}, server CPU ${cpu_per} us each${non2xx:+, NON-2XX: $non2xx}"
  echo "$rps $p99 $cpu_per" >> "$results"
}

# server_cpu: the processor time the server has used so far (user and system, in clock ticks).
# A rate on this shared VM moves by half from one half hour to the next as its neighbours do;
# the time the server spends on each request moves far less, so it is the figure to compare
# two builds by.
server_cpu() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }

# median_of FORMAT: the median of the numbers on stdin (first column), printed with FORMAT.
median_of() { sort -n | awk -v f="$1" '{ a[NR] = $1 } END { printf f, a[int((NR + 1) / 2)] }'; }

# medians RESULTS UNIT [LABEL]: the median rate and p99 of wrk_run's runs; p99 as wrk prints it
# (e.g. 3.21ms or 812.00us), converted to ms for sorting.
medians() {
  local results=$1 unit=$2 label=${3:+$3 }
  median_of "${label}median $unit/s: %s\n" < "$results"
  awk '{ v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } print v }' "$results" \
    | median_of "${label}median p99: %.2f ms\n"
  awk '{ print $3 }' "$results" | median_of "${label}median server CPU: %s us a request\n"
}
