#!/usr/bin/env bash
# Measures cs-account against the performance budgets of issue 5 and prints a markdown table:
# measured value, budget, pass or miss, and how each figure was taken, with the machine it ran on.
#
#   benches/budgets.sh            # everything (a release build first; about two minutes after it)
#   WHOAMI_RUNS=200 benches/budgets.sh
#
# `whoami` is timed here, whole process, with hyperfine when it is installed (the script installs
# the Debian package when it runs as root and apt-get is there), else with a loop of its own. The
# other figures come from the bench binary `benches/budgets/main.rs` (`cargo bench --bench
# budgets`), whose `BUDGET|...` and `INFO|...` lines become the table's rows.
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${WHOAMI_RUNS:-100}
work=$(mktemp -d)
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "Building (release)…" >&2
cargo build --release --quiet --bin cs-account
bin=$PWD/target/release/cs-account

# --- whoami against `serve-demo`, whole process ----------------------------------------------
"$bin" serve-demo --addr 127.0.0.1:0 --rate-limit 0 >"$work/serve.out" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.out" | head -n 1 || true)
    [[ -n "$url" ]] && break
    sleep 0.05
done
[[ -n "$url" ]] || { echo "serve-demo did not start:" >&2; cat "$work/serve.out" >&2; exit 1; }
export CS_ACCOUNT_CONFIG_DIR=$work CS_ACCOUNT_STATE_DIR=$work
unset CONTENTSTACK_AUTHTOKEN RUST_LOG
printf 'Demo-pass-1234\n' | "$bin" --api-url "$url" login --email john.doe@example.com --password-stdin >/dev/null 2>&1
"$bin" --api-url "$url" whoami >/dev/null

if ! command -v hyperfine >/dev/null && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing hyperfine…" >&2
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
fi
if command -v hyperfine >/dev/null; then
    hyperfine --shell=none --warmup 10 --runs "$runs" --export-csv "$work/whoami.csv" \
        "$bin --api-url $url whoami" >/dev/null 2>&1
    # command,mean,stddev,median,user,system,min,max (seconds)
    whoami_ms=$(awk -F, 'NR == 2 { printf "%.2f", $4 * 1000 }' "$work/whoami.csv")
    whoami_how="hyperfine, $runs runs after 10 warm-up, no shell; median"
else
    for _ in $(seq 10); do "$bin" --api-url "$url" whoami >/dev/null; done
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$bin" --api-url "$url" whoami >/dev/null
        echo $(( $(date +%s%N) - start ))
    done | sort -n >"$work/whoami.ns"
    whoami_ms=$(awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1e6 }' "$work/whoami.ns")
    whoami_how="shell loop, $runs runs after 10 warm-up, date +%s%N around each; median"
fi
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
unset CS_ACCOUNT_CONFIG_DIR CS_ACCOUNT_STATE_DIR

# --- everything else: the bench binary -------------------------------------------------------
echo "Running the budgets bench…" >&2
cargo bench --quiet --bench budgets >"$work/bench.out"

# --- the table ----------------------------------------------------------------------------------
cpu=$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
ram=$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
echo "Machine: $(nproc) CPUs ($cpu), $ram RAM, $(uname -sr); $(date -u '+%Y-%m-%d %H:%M UTC'); $(rustc --version)"
echo
echo "| Figure | Measured | Budget | Result | How |"
echo "|---|---:|---:|:---:|---|"
{
    echo "BUDGET|whoami against the demo server, whole process (median)|$whoami_ms|5|ms|$whoami_how"
    grep -E '^(BUDGET|INFO)\|' "$work/bench.out"
} | awk -F'|' '{
    kind = $1; what = $2; value = $3; budget = $4; unit = $5; how = $6
    if (kind == "BUDGET") {
        result = (value + 0 <= budget + 0) ? "pass" : "**miss**"
        printf "| %s | %s %s | ≤ %s %s | %s | %s |\n", what, value, unit, budget, unit, result, how
    } else {
        printf "| %s | %s %s | – | – | %s |\n", what, value, unit, how
    }
}'
