#!/usr/bin/env bash
# Measures cs-account against the performance budgets of issue 5 and prints a markdown table:
# measured value, budget, pass or miss, and how each figure was taken, with the machine it ran on.
#
#   benches/budgets.sh            # everything (a release build first; about two minutes after it)
#   WHOAMI_RUNS=200 benches/budgets.sh
#
# `whoami` is timed here, whole process, with hyperfine when it is installed (the script installs
# the Debian package when it runs as root and apt-get is there), else with a loop of its own; on
# a 1,000-role × 50-rule profile it is compared in one hyperfine run with the official JS SDK's
# `getUser` (benches/peer/: installed with `npm ci` into target/peer-sdk when node and npm are
# there), and its peak memory is read, also for a 19.9 MB answer of empty roles served by
# `python3 -m http.server`. The other figures come from the bench binary `benches/budgets/main.rs`
# (`cargo bench --bench budgets`), whose `BUDGET|...` and `INFO|...` lines become the table's rows.
# A FLOOR row passes when the figure is at least its budget.
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

# Starts `serve-demo` on a free port with extra flags; sets $url and $server_pid.
start_server() {
    "$bin" serve-demo --addr 127.0.0.1:0 --rate-limit 0 "$@" >"$work/serve.out" 2>&1 &
    server_pid=$!
    url=""
    for _ in $(seq 200); do
        url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.out" | head -n 1 || true)
        [[ -n "$url" ]] && return
        sleep 0.05
    done
    echo "serve-demo did not start:" >&2
    cat "$work/serve.out" >&2
    exit 1
}

stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# Logs the demo user in to $1, keeping the session in $work.
login_to() {
    printf 'Demo-pass-1234\n' | "$bin" --api-url "$1" login --email john.doe@example.com --password-stdin >/dev/null 2>&1
}

# Runs a command once with stdout discarded; prints its wall time in ms and peak resident memory
# in kB (the kernel's ru_maxrss of the child, read by python's resource module).
timed_peak() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = (time.perf_counter() - start) * 1000
print(f"{elapsed:.1f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}

# Median wall time of a command in ms, with hyperfine (10 runs after 2 warm-up).
median_ms() {
    hyperfine --shell=none --warmup 2 --runs 10 --export-csv "$work/median.csv" "$*" >/dev/null 2>&1
    awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$work/median.csv"
}

# Installs the official JS SDK, at the version of benches/peer/package-lock.json, into $1.
install_sdk() {
    echo "Installing the JS SDK (npm ci)…" >&2
    mkdir -p "$1"
    cp benches/peer/package.json benches/peer/package-lock.json "$1/"
    (cd "$1" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1)
}

sdk_version() {
    node -p "require('$1/node_modules/@contentstack/management/package.json').version" 2>/dev/null || echo "?"
}

echo "Building (release)…" >&2
cargo build --release --quiet --bin cs-account
bin=$PWD/target/release/cs-account

# --- whoami against `serve-demo`, whole process ----------------------------------------------
start_server
login_to "$url"
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
stop_server

# --- a large profile: whoami against the official JS SDK, memory, and an amplifying answer ------
# `serve-demo --roles 1000 --rules 50` answers GET /user with 6.9 MB. Both clients run in one
# hyperfine call, on the same server and token, so the ratio is of one run.
start_server --roles 1000 --rules 50
big_url=$url
login_to "$big_url"
for _ in $(seq 3); do "$bin" --api-url "$big_url" whoami >/dev/null; done
big_runs=${BIG_RUNS:-20}
read -r _ big_kb < <(timed_peak "$bin" --api-url "$big_url" whoami)
read -r _ json_kb < <(timed_peak "$bin" --api-url "$big_url" whoami --json)
big_rows=()
if command -v hyperfine >/dev/null; then
    json_ms=$(median_ms "$bin" --api-url "$big_url" whoami --json)
    big_rows+=("INFO|whoami --json, 1,000×50 profile, whole process (median)|$json_ms||ms|hyperfine, 10 runs after 2 warm-up")
fi
peer_dir=$PWD/target/peer-sdk
if command -v hyperfine >/dev/null && command -v node >/dev/null && command -v npm >/dev/null \
    && { [[ -d $peer_dir/node_modules/@contentstack/management ]] || install_sdk "$peer_dir"; }; then
    token=$("$bin" --api-url "$big_url" token 2>/dev/null)
    getuser=(node "$PWD/benches/peer/getuser.js" "${big_url#http://}")
    CS_TOKEN=$token NODE_PATH=$peer_dir/node_modules hyperfine --shell=none --warmup 3 --runs "$big_runs" \
        --export-csv "$work/peer.csv" "$bin --api-url $big_url whoami" "${getuser[*]}" >/dev/null 2>&1
    read -r _ peer_kb < <(CS_TOKEN=$token NODE_PATH=$peer_dir/node_modules timed_peak "${getuser[@]}")
    unset token
    # One row per command: command,mean,stddev,median,… (seconds).
    read -r ours theirs < <(awk -F, 'NR == 2 { a = $2 } NR == 3 { b = $2 } END { print a, b }' "$work/peer.csv")
    how="hyperfine, $big_runs runs each after 3 warm-up, both in one call, same server and token; means"
    big_rows+=(
        "INFO|whoami, 1,000×50 profile (6.9 MB answer), whole process (mean)|$(awk -v a="$ours" 'BEGIN { printf "%.1f", a * 1000 }')||ms|$how"
        "INFO|the JS SDK's getUser, same server and token (mean)|$(awk -v b="$theirs" 'BEGIN { printf "%.1f", b * 1000 }')||ms|$how; node $(node --version), @contentstack/management $(sdk_version "$peer_dir")"
        "FLOOR|whoami's speed-up over the JS SDK's getUser|$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.1f", b / a }')|10|×|the two means above, of one run"
        "INFO|the JS SDK's getUser, peak resident memory|$(awk -v k="$peer_kb" 'BEGIN { printf "%.1f", k / 1024 }')||MB|ru_maxrss of one run"
    )
else
    big_rows+=("INFO|whoami against the JS SDK|–||–|skipped: needs hyperfine, node and npm (the script installs the SDK with npm)")
fi
big_rows+=(
    "BUDGET|whoami, 1,000×50 profile: peak resident memory|$(awk -v k="$big_kb" 'BEGIN { printf "%.1f", k / 1024 }')|40|MB|ru_maxrss of one run (python's resource module)"
    "INFO|whoami --json, 1,000×50 profile: peak resident memory|$(awk -v k="$json_kb" 'BEGIN { printf "%.1f", k / 1024 }')||MB|same"
)
stop_server

# 19.9 MB of empty roles (`[{},{},…]`, 6.6 million of them) from a plain file server: refused by
# count (or decoded) within the memory budget.
mkdir -p "$work/amp/v3"
python3 - "$work/amp/v3/user" <<'PY'
import sys
head = b'{"user":{"uid":"blt1","email":"a@example.com","roles":['
n = (19_900_000 - len(head) - 3) // 3
with open(sys.argv[1], "wb") as f:
    f.write(head + b"{}," * (n - 1) + b"{}]}}")
PY
amp_bytes=$(stat -c %s "$work/amp/v3/user")
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/amp" >"$work/amp.out" 2>&1 &
server_pid=$!
amp_port=""
for _ in $(seq 100); do
    amp_port=$(grep -o 'port [0-9]*' "$work/amp.out" | head -n 1 | cut -d' ' -f2 || true)
    [[ -n "$amp_port" ]] && break
    sleep 0.05
done
read -r amp_ms amp_kb < <(CONTENTSTACK_AUTHTOKEN=blt-not-a-real-token \
    timed_peak "$bin" --api-url "http://127.0.0.1:$amp_port" whoami)
amp_said=$(CONTENTSTACK_AUTHTOKEN=blt-not-a-real-token "$bin" --api-url "http://127.0.0.1:$amp_port" whoami 2>&1 >/dev/null | head -n 1 || true)
stop_server
unset CS_ACCOUNT_CONFIG_DIR CS_ACCOUNT_STATE_DIR
big_rows+=("BUDGET|$(awk -v b="$amp_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB answer of 6.6 million empty roles: whoami peak resident memory|$(awk -v k="$amp_kb" 'BEGIN { printf "%.1f", k / 1024 }')|100|MB|ru_maxrss of one run against a plain file server, in $amp_ms ms; it said: ${amp_said//|//}")

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
    printf '%s\n' "${big_rows[@]}"
    grep -E '^(BUDGET|INFO)\|' "$work/bench.out"
} | awk -F'|' '{
    kind = $1; what = $2; value = $3; budget = $4; unit = $5; how = $6
    if (kind == "BUDGET") {
        result = (value + 0 <= budget + 0) ? "pass" : "**miss**"
        printf "| %s | %s %s | ≤ %s %s | %s | %s |\n", what, value, unit, budget, unit, result, how
    } else if (kind == "FLOOR") {
        result = (value + 0 >= budget + 0) ? "pass" : "**miss**"
        printf "| %s | %s %s | ≥ %s %s | %s | %s |\n", what, value, unit, budget, unit, result, how
    } else {
        printf "| %s | %s %s | – | – | %s |\n", what, value, unit, how
    }
}'
