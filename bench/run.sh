#!/usr/bin/env bash
# What cluster mode costs and what it buys, single JVM against cluster, in one run.
#
#   bench/run.sh                       # 7 to 9 minutes on a 2-core machine
#   DURATION=5 WARMUP=2 bench/run.sh   # a quick look
#
# Every measurement alternates single (cluster.instances=1) and cluster
# (cluster.instances=max) in the same invocation, so that both see the same machine
# noise: round 1 runs single then cluster, round 2 cluster then single, and so on.
# The table reports the median over rounds and the ratio cluster/single.
#
# Writes bench/results/latest.md (and bench/results/$NAME.md if NAME is set), then
# bench/results/latest.png through bench/chart.sh.
#
# Settings (environment):
#   DURATION=15        seconds of each measured wrk run
#   WARMUP=5           seconds of the one warm-up run before each measured run
#   CONNECTIONS=32     wrk connections (keep-alive); THREADS=2 wrk threads
#   ROUNDS=2           single/cluster rounds
#   PORT=18110         single uses PORT, cluster PORT+1 (must stay in 18100-18199)
#   CLUSTER_INSTANCES=max
#   HEAVY_N=50000000   loop count of /heavy; LOCKED_MS=20 lock hold time of /locked
#   STARTUP_RUNS=2     extra launches per mode that only measure start to ready
#   FAULTS=1           0 skips the kill -9 / deploy runs (run in round 1 only)
#   FAULT_AT=4         seconds of load before a fault; FAULT_TAIL=4 seconds after recovery
#   SAMPLER_RATE=100   requests/s of the light client (curl) of the deploy runs
#   RELOAD_TIMEOUT=120 seconds a rolling reload may take
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18110}
CLUSTER_INSTANCES=${CLUSTER_INSTANCES:-max}
HEAVY_N=${HEAVY_N:-50000000}
LOCKED_MS=${LOCKED_MS:-20}
FAULTS=${FAULTS:-1}
STARTUP_RUNS=${STARTUP_RUNS:-2}
FAULT_AT=${FAULT_AT:-4}
FAULT_TAIL=${FAULT_TAIL:-4}
SAMPLER_RATE=${SAMPLER_RATE:-100}
RELOAD_TIMEOUT=${RELOAD_TIMEOUT:-120}
# Upper bound of a fault run's wrk; it is normally stopped once the fault is over
FAULT_MAX=$((FAULT_AT + READY_TIMEOUT + RELOAD_TIMEOUT + 30))

RESULTS_DIR=$BENCH_DIR/results
SINGLE_PORT=$PORT
CLUSTER_PORT=$((PORT + 1))

ensure_tools curl jq wrk gnuplot ss timeout
ensure_jar
check_port_range "$SINGLE_PORT"
check_port_range "$CLUSTER_PORT"
mkdir -p "$RESULTS_DIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cluster-bench.XXXXXX")
install_cleanup_trap
use_private_jar "$WORK"
log "work directory (logs, raw wrk output, the jar's copy): $WORK"

ENDPOINTS=(hello heavy locked)
declare -A PATHS=([hello]=/hello [heavy]="/heavy?n=$HEAVY_N" [locked]="/locked?ms=$LOCKED_MS")

declare -A V=()           # "mode|metric" -> values over rounds, space separated
declare -A LAST=()        # "mode|metric" -> value of the last round (lists, texts)
declare -A SERIES=()      # "run|t" -> requests in second t around the fault (t=0: fault)
add() { V[$1|$2]="${V[$1|$2]:-} $3"; LAST[$1|$2]=$3; }
med() { median ${V[$1|$2]:-}; }
sum() { local s=0 v; for v in ${V[$1|$2]:-}; do [[ $v =~ ^[0-9]+$ ]] && s=$((s + v)); done; echo $s; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# Record requests per second around a fault, from "epoch-second count" lines on stdin,
# relative to the fault's epoch second. Seconds without a response count as 0; the
# first and the last second are partial and left out.
record_series() {
	local run=$1 event=$2 s n
	while read -r s n; do
		SERIES[$run|$((s - event))]=$n
	done < <(awk 'NR > 1 { while (++prev < $1) print prev, 0 } { print; prev = $1 }' | sed '1d;$d')
}

# Throughput, latency and errors of one endpoint
measure_endpoint() {
	local mode=$1 round=$2 ep=$3 path=${PATHS[$3]}
	local file=$WORK/$mode-r$round-$ep.txt
	wrk_run "$WORK/warmup.txt" "$WARMUP" "$CONNECTIONS" "$path"
	wrk_run "$file" "$DURATION" "$CONNECTIONS" "$path"
	if [[ -z $(wrk_get "$file" requests) ]]; then
		log "wrk failed on $mode $ep: $(tail -3 "$file" | tr '\n' ' ')"
		return 0
	fi
	local rps errors
	rps=$(wrk_rps "$file")
	errors=$(($(wrk_socket_errors "$file") + $(wrk_get "$file" non2xx)))
	add "$mode" "${ep}_rps" "$rps"
	add "$mode" "${ep}_errors" "$errors"
	if [[ $mode == cluster ]]; then
		add cluster "${ep}_split" "$(worker_split "$(wrk_get "$file" workers)")"
	fi
	if [[ $(wrk_get "$file" requests) == 0 ]]; then
		log "$mode $ep: no request completed in ${DURATION} s"
		return 0
	fi
	add "$mode" "${ep}_p50" "$(awk -v u="$(wrk_get "$file" p50_us)" 'BEGIN { printf "%.2f", u / 1000 }')"
	add "$mode" "${ep}_p99" "$(awk -v u="$(wrk_get "$file" p99_us)" 'BEGIN { printf "%.2f", u / 1000 }')"
	log "$mode $ep: $rps req/s, p99 $(wrk_get "$file" p99_us) us, errors $errors"
}

memory() {
	local mode=$1 when=$2 primary workers pss
	read -r primary workers pss <<<"$(mem_snapshot)"
	add "$mode" "pss_${when}_kb" "$pss"
	if [[ $when == load ]]; then
		add "$mode" primary_rss_kb "$primary"
		add "$mode" rss_list_kb "$workers"
		add "$mode" rss_mean_kb "$(tr '/' '\n' <<<"$workers" | awk '{ s += $1 } END { if (NR) printf "%.0f", s / NR }')"
	fi
	log "$mode memory ($when): primary RSS $primary kB, JVM RSS $workers kB, total PSS $pss kB"
}

fault_stats() {
	local mode=$1 file=$2 event=$3 end=$4 run=$5 base min dip below
	if [[ -z $(wrk_get "$file" requests) ]]; then
		log "wrk failed during $run: $(tail -3 "$file" | tr '\n' ' ')"
		return 0
	fi
	read -r base min dip below <<<"$(dip_stats "$file" "$event" "$end")"
	add "$mode" "${run}_socket_errors" "$(wrk_socket_errors "$file")"
	add "$mode" "${run}_non2xx" "$(wrk_get "$file" non2xx)"
	add "$mode" "${run}_codes" "$(wrk_get "$file" codes)"
	add "$mode" "${run}_baseline" "$base"
	add "$mode" "${run}_min" "$min"
	add "$mode" "${run}_dip" "$dip"
	add "$mode" "${run}_below_half" "$below"
	record_series "${mode}_$run" "$event" < <(wrk_buckets "$file")
	log "$run: socket errors $(wrk_socket_errors "$file"), non-2xx $(wrk_get "$file" non2xx)," \
		"baseline $base req/s, lowest second $min req/s (-$dip%), $below s below half"
}

sampler_record() {
	local mode=$1 file=$2 event=$3 run=$4 total ok failed non2xx gap slowest
	read -r total ok failed non2xx gap slowest <<<"$(sampler_stats "$file")"
	add "$mode" "${run}_total" "$total"
	add "$mode" "${run}_failed" "$failed"
	add "$mode" "${run}_non2xx" "$non2xx"
	add "$mode" "${run}_gap" "$gap"
	add "$mode" "${run}_slowest" "$slowest"
	record_series "${mode}_$run" "$event" < <(sampler_buckets "$file")
	log "$run: $total requests, $failed without a response, $non2xx non-2xx, longest gap between successes ${gap} s, slowest request ${slowest} s"
}

# Reload the cluster and wait for it; records "<run>_result" and "<run>_ms"
reload_cluster() {
	local run=$1 gens lines
	if ! gens=$(cluster_generations); then
		log "/actuator/cluster does not answer: no SIGHUP sent"
		add cluster "${run}_result" no-status
		return 0
	fi
	lines=$(log_lines)
	log "SIGHUP to the primary (pid $APP_PID)"
	if ! kill -HUP "$APP_PID" 2>/dev/null; then
		add cluster "${run}_result" primary-exited
		return 0
	fi
	wait_reload "$gens" "$lines" "$RELOAD_TIMEOUT"
	add cluster "${run}_result" "$RELOAD_RESULT"
	add cluster "${run}_ms" "${RELOAD_MS:--}"
	log "reload: $RELOAD_RESULT${RELOAD_MS:+ after $RELOAD_MS ms}"
	if [[ -n $RELOAD_LOG ]]; then
		LAST[cluster|${run}_log]=$RELOAD_LOG
		log "primary: $RELOAD_LOG"
	fi
}

# single: a deploy without a cluster is TERM, start again, wait for ready. Measured
# with the light sampler only: under wrk, refused connections make wrk spin on
# reconnects and take the CPU the new JVM needs to start, which would exaggerate
# the downtime.
fault_single_deploy() {
	local file=$WORK/single-deploy.txt event end t0
	sampler_start "$file" "$SAMPLER_RATE" "$FAULT_MAX"
	sleep "$FAULT_AT"
	event=$(date +%s) t0=$(now_ms)
	log "deploy without a cluster: TERM the single JVM, start a new one"
	app_stop
	app_start single "$SINGLE_PORT" "$WORK/single-deploy.log"
	if app_wait_ready >/dev/null; then
		add single deploy_ms $(($(now_ms) - t0))
	else
		add single deploy_ms -
	fi
	end=$(date +%s)
	sleep "$FAULT_TAIL"
	sampler_stop
	sampler_record single "$file" "$event" deploy
}

# cluster: the same deploy at the same light load: a rolling reload
fault_cluster_deploy() {
	local file=$WORK/cluster-deploy.txt event
	sampler_start "$file" "$SAMPLER_RATE" "$FAULT_MAX"
	sleep "$FAULT_AT"
	event=$(date +%s)
	reload_cluster deploy
	sleep "$FAULT_TAIL"
	sampler_stop
	sampler_record cluster "$file" "$event" deploy
}

# cluster: kill -9 one worker under full load; time until N workers are READY again
fault_cluster_kill() {
	local file=$WORK/cluster-kill.txt status victim event end t0 deadline recovered=-
	status=$(cluster_status) || { log "no cluster status: skipping kill -9"; return 0; }
	victim=$(jq -r '.workers[0].pid' <<<"$status")
	is_our_jvm "$victim" || { log "worker pid $victim is not ours: not killing it"; return 0; }
	# The workers may be fresh from the deploy run's reload: warm them first
	wrk_run "$WORK/warmup.txt" "$WARMUP" "$CONNECTIONS" /hello
	wrk_start "$file" "$FAULT_MAX" "$CONNECTIONS" /hello
	sleep "$FAULT_AT"
	event=$(date +%s) t0=$(now_ms)
	log "kill -9 worker pid $victim"
	kill -KILL "$victim"
	deadline=$((t0 + READY_TIMEOUT * 1000))
	while (($(now_ms) < deadline)); do
		if status=$(cluster_status 2>/dev/null); then
			track_workers <<<"$status"
			if jq -e --argjson victim "$victim" '(.workers | length) == .desired
					and all(.workers[]; .state == "READY" and .pid != null and .pid != $victim)' \
					>/dev/null <<<"$status"; then
				recovered=$(($(now_ms) - t0))
				break
			fi
		fi
		sleep 0.1
	done
	end=$(date +%s)
	sleep "$FAULT_TAIL"
	stop_wrk
	add cluster kill_recover_ms "$recovered"
	log "cluster back to all READY after ${recovered} ms"
	fault_stats cluster "$file" "$event" "$end" kill
}

# cluster: rolling reload (SIGHUP to the primary) under full load
fault_cluster_reload() {
	local file=$WORK/cluster-reload.txt event end
	wrk_run "$WORK/warmup.txt" "$WARMUP" "$CONNECTIONS" /hello
	wrk_start "$file" "$FAULT_MAX" "$CONNECTIONS" /hello
	sleep "$FAULT_AT"
	event=$(date +%s)
	reload_cluster reload
	end=$(date +%s)
	sleep "$FAULT_TAIL"
	stop_wrk
	fault_stats cluster "$file" "$event" "$end" reload
}

# One mode in one round: start, memory, the three endpoints, faults, stop
measure_pass() {
	local mode=$1 round=$2 port startup t0
	port=$SINGLE_PORT
	[[ $mode == cluster ]] && port=$CLUSTER_PORT
	log "round $round: $mode"
	app_start "$mode" "$port" "$WORK/$mode-r$round.log"
	startup=$(app_wait_ready) || die "$mode did not become ready; see $APP_LOG"
	add "$mode" startup_ms "$startup"
	if [[ $mode == cluster ]]; then
		local status
		status=$(cluster_status)
		WORKERS=$(jq '.desired' <<<"$status")
		((WORKERS > 1)) || die "cluster.instances=$CLUSTER_INSTANCES resolved to $WORKERS worker(s)"
	fi
	log "$mode ready after $startup ms"
	memory "$mode" idle
	local ep
	for ep in "${ENDPOINTS[@]}"; do
		measure_endpoint "$mode" "$round" "$ep"
	done
	memory "$mode" load
	if [[ $FAULTS == 1 && $round == 1 ]]; then
		if [[ $mode == single ]]; then
			fault_single_deploy
		else
			fault_cluster_deploy
			fault_cluster_kill
			fault_cluster_reload
		fi
	fi
	t0=$(now_ms)
	app_stop
	add "$mode" stop_ms $(($(now_ms) - t0))
	add "$mode" stop_exit "$APP_EXIT"
	log "$mode stopped with exit code $APP_EXIT after $(($(now_ms) - t0)) ms"
}

# Extra launches that only measure start to ready (startup is noisy and cheap)
measure_startup() {
	local mode=$1 run=$2 port=$SINGLE_PORT startup
	[[ $mode == cluster ]] && port=$CLUSTER_PORT
	app_start "$mode" "$port" "$WORK/$mode-start$run.log"
	startup=$(app_wait_ready) || die "$mode did not become ready; see $APP_LOG"
	add "$mode" startup_ms "$startup"
	log "$mode ready after $startup ms"
	app_stop
}

WORKERS=?
for ((round = 1; round <= ROUNDS; round++)); do
	if ((round % 2)); then
		measure_pass single "$round"
		measure_pass cluster "$round"
	else
		measure_pass cluster "$round"
		measure_pass single "$round"
	fi
done
for ((run = 1; run <= STARTUP_RUNS; run++)); do
	if (((ROUNDS + run) % 2)); then
		measure_startup single "$run"
		measure_startup cluster "$run"
	else
		measure_startup cluster "$run"
		measure_startup single "$run"
	fi
done

# ---------------------------------------------------------------- report

num() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }
nonzero() { num "$1" && awk -v v="$1" 'BEGIN { exit !(v != 0) }'; }
ratio() { if nonzero "$1" && num "$2"; then awk -v s="$1" -v c="$2" 'BEGIN { printf "%.2fx", c / s }'; else echo "–"; fi; }
fmt() { # value, divisor, decimals
	if num "$1"; then awk -v v="$1" -v d="$2" -v p="$3" 'BEGIN { printf "%.*f", p, v / d }'; else echo "–"; fi
}
ratio_value() { if nonzero "$1" && num "$2"; then awk -v s="$1" -v c="$2" 'BEGIN { print c / s }'; else echo ""; fi; }
check() { # value, operator, limit -> hit / miss
	num "$1" || { echo "not measured"; return; }
	if awk -v v="$1" -v l="$3" "BEGIN { exit !(v $2 l) }"; then echo "**hit**"; else echo "**miss**"; fi
}

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }

for ep in "${ENDPOINTS[@]}"; do
	s=$(med single "${ep}_rps") c=$(med cluster "${ep}_rps")
	case $ep in
		locked) target=">= 1.8x" limit=1.8 ;;
		*) target=">= 0.95x" limit=0.95 ;;
	esac
	row "Throughput ${PATHS[$ep]} (req/s)" "$(fmt "$s" 1 0)" "$(fmt "$c" 1 0)" "$(ratio "$s" "$c")" "$target" \
		"$(check "$(ratio_value "$s" "$c")" '>=' "$limit")"
	for q in p50 p99; do
		s=$(med single "${ep}_$q") c=$(med cluster "${ep}_$q")
		row "Latency $q ${PATHS[$ep]} (ms)" "$(fmt "$s" 1 1)" "$(fmt "$c" 1 1)" "$(ratio "$s" "$c")" "" ""
	done
	row "Errors ${PATHS[$ep]} (socket + non-2xx, all rounds)" "$(sum single "${ep}_errors")" \
		"$(sum cluster "${ep}_errors")" "" "" ""
	row "Responses per worker ${PATHS[$ep]} (% by worker id, each round)" "–" \
		"$(sed 's/^ //; s/ /; /g' <<<"${V[cluster|${ep}_split]:-–}")" "" "" ""
done

s=$(med single startup_ms) c=$(med cluster startup_ms)
row "Start to ready (s): single = health UP, cluster = all $WORKERS workers READY" "$(fmt "$s" 1000 1)" \
	"$(fmt "$c" 1000 1)" "$(ratio "$s" "$c")" "<= 1.5x" "$(check "$(ratio_value "$s" "$c")" '<=' 1.5)"

c=$(med cluster primary_rss_kb)
row "Primary RSS after load (MB)" "–" "$(fmt "$c" 1024 0)" "" "< 64 MB" "$(check "$(fmt "$c" 1024 1)" '<' 64)"
s=$(med single rss_mean_kb) c=$(med cluster rss_mean_kb)
list=$(tr '/' '\n' <<<"${LAST[cluster|rss_list_kb]:-}" | awk '{ printf "%s%.0f", (NR > 1 ? " / " : ""), $1 / 1024 }')
row "RSS of each application JVM after load (MB; cluster: mean, each worker)" "$(fmt "$s" 1024 0)" \
	"$(fmt "$c" 1024 0) ($list)" "$(ratio "$s" "$c")" "" ""
for when in idle load; do
	label="just after ready"
	[[ $when == load ]] && label="after load"
	s=$(med single "pss_${when}_kb") c=$(med cluster "pss_${when}_kb")
	row "Total PSS of the process tree, $label (MB)" "$(fmt "$s" 1024 0)" "$(fmt "$c" 1024 0)" \
		"$(ratio "$s" "$c")" "" ""
done

if [[ $FAULTS == 1 ]]; then
	fault_cell() { # mode run -> "errors (socket, non-2xx)" of a wrk fault run
		local se n2 codes
		se=${LAST[$1|$2_socket_errors]:-} n2=${LAST[$1|$2_non2xx]:-} codes=${LAST[$1|$2_codes]:-}
		[[ -n $se ]] || { echo "–"; return; }
		codes=${codes#-}
		echo "$((se + n2)) ($se socket, $n2 non-2xx${codes:+ $codes})"
	}
	dip_cell() {
		local b=${LAST[$1|$2_baseline]:-} m=${LAST[$1|$2_min]:-} d=${LAST[$1|$2_dip]:-} h=${LAST[$1|$2_below_half]:-}
		[[ -n $b && $b != - ]] || { echo "–"; return; }
		echo "$m of $b (-$d%), $h s below half"
	}
	sampler_cell() { # mode run -> "failed of total"
		local t=${LAST[$1|$2_total]:-} f=${LAST[$1|$2_failed]:-} n=${LAST[$1|$2_non2xx]:-}
		[[ -n $t ]] || { echo "–"; return; }
		echo "$((f + n)) of $t ($f no response, $n non-2xx)"
	}
	reload_note() { # run -> why a reload did not count
		case ${LAST[cluster|$1_result]:-} in
			done) ;;
			ignored) echo " — **no reload happened**: the primary logged \`${LAST[cluster|$1_log]:-}\`" ;;
			aborted) echo " — **the reload was aborted**: the primary logged \`${LAST[cluster|$1_log]:-}\`" ;;
			not-started) echo " — **no reload happened**: no worker changed within ${RELOAD_START_TIMEOUT:-15} s of the SIGHUP" ;;
			timeout) echo " — **the reload did not finish** within $RELOAD_TIMEOUT s" ;;
			primary-exited) echo " — **the primary exited during the reload**" ;;
			no-status) echo " — not measured: \`/actuator/cluster\` did not answer before the SIGHUP" ;;
			*) echo " — not measured" ;;
		esac
	}
	reload_check() { # run errors -> hit / miss
		if [[ ${LAST[cluster|$1_result]:-} == done ]]; then check "$2" '==' 0; else echo "**miss** (no reload)"; fi
	}

	errors=$(( ${LAST[cluster|deploy_failed]:-0} + ${LAST[cluster|deploy_non2xx]:-0} ))
	row "Deploy at a steady $SAMPLER_RATE req/s (curl, keep-alive, /hello): failed requests. single: TERM + start again; cluster: SIGHUP rolling reload" \
		"$(sampler_cell single deploy)" "$(sampler_cell cluster deploy)$(reload_note deploy)" "" "0 errors" \
		"$(reload_check deploy "$errors")"
	row "Deploy: longest time without a successful response (s)" "${LAST[single|deploy_gap]:-–}" \
		"${LAST[cluster|deploy_gap]:-–}" "" "" ""
	row "Deploy: slowest request (s)" "${LAST[single|deploy_slowest]:-–}" "${LAST[cluster|deploy_slowest]:-–}" "" "" ""
	row "Deploy: time until the new version serves (s; cluster: all workers replaced)" \
		"$(fmt "${LAST[single|deploy_ms]:-}" 1000 1)" "$(fmt "${LAST[cluster|deploy_ms]:-}" 1000 1)" "" "" ""
	row "Rolling reload under full load (wrk, $CONNECTIONS connections, /hello): errors" "n/a" \
		"$(fault_cell cluster reload)$(reload_note reload)" "" "0 errors" \
		"$(reload_check reload "$(fault_cell cluster reload | cut -d' ' -f1)")"
	row "Rolling reload under full load: lowest req/s in one second (of baseline)" "n/a" \
		"$(dip_cell cluster reload)" "" "" ""
	row "Rolling reload under full load: time until all workers replaced (s)" "n/a" \
		"$(fmt "${LAST[cluster|reload_ms]:-}" 1000 1)" "" "" ""
	row "kill -9 of one worker under full load (/hello): errors" "n/a: down until something restarts it" \
		"$(fault_cell cluster kill)" "" "" ""
	row "kill -9: lowest req/s in one second (of baseline)" "n/a" "$(dip_cell cluster kill)" "" "" ""
	row "kill -9: time until $WORKERS workers READY again (s)" "n/a" \
		"$(fmt "${LAST[cluster|kill_recover_ms]:-}" 1000 1)" "" "" ""
fi
row "SIGTERM to exit (s; exit code)" "$(fmt "$(med single stop_ms)" 1000 1); ${LAST[single|stop_exit]:-–}" \
	"$(fmt "$(med cluster stop_ms)" 1000 1); ${LAST[cluster|stop_exit]:-–}" "" "" ""

COMMIT=$(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n $(git -C "$ROOT_DIR" status --porcelain -- cluster-autoconfigure cluster-spring-boot-starter sample-app 2>/dev/null) ]] &&
	COMMIT="$COMMIT (with local changes)"

REPORT=$RESULTS_DIR/latest.md
{
	echo "# Cluster benchmark: single JVM against cluster"
	echo
	echo "$START_DATE, commit $COMMIT, $JAR_INFO. $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)," \
		"$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)."
	echo "Load average before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "single = \`--cluster.instances=1\`; cluster = \`--cluster.instances=$CLUSTER_INSTANCES\` ($WORKERS workers)."
	echo "wrk: $THREADS threads, $CONNECTIONS keep-alive connections, ${DURATION} s per run after one ${WARMUP} s warm-up;" \
		"$ROUNDS rounds alternating single and cluster (odd rounds single first, even rounds cluster first)."
	echo "Values are medians over the rounds; ratios are cluster/single. Fault runs happen in round 1 only."
	echo
	echo "| Metric | single | cluster | cluster/single | target | result |"
	echo "|---|---:|---:|---:|---|---|"
	printf '%s\n' "${ROWS[@]}"
	echo
	echo "## How to read this"
	echo
	echo "- wrk runs on the same $(nproc) cores as the application, so CPU-bound endpoints (\`/hello\`, \`/heavy\`) measure"
	echo "  the machine, not the cluster: a single JVM already uses every core with its thread pool, so a"
	echo "  cluster is not expected to add throughput there. \`/locked\` is the case a cluster is for: work that does not"
	echo "  scale with threads inside one JVM (one JVM-wide lock held ${LOCKED_MS} ms) scales with processes."
	echo "- Latencies come from wrk's closed loop (no coordinated-omission correction)."
	echo "- A keep-alive connection stays with the worker that accepted it, so the cluster's throughput depends on"
	echo "  how wrk's $CONNECTIONS connections, opened in one burst, were split between the workers. \"Responses per"
	echo "  worker\" shows the split of every round (from the \"worker\" field of each response); a single 100 means"
	echo "  one worker served everything in that round and the others got no connection."
	echo "- Start to ready is measured from launching \`java -jar\` to the readiness poll succeeding (every 100 ms),"
	echo "  in every round and in $STARTUP_RUNS extra launches per mode (median of $((ROUNDS + STARTUP_RUNS)))."
	echo "- Memory: RSS from \`/proc/<pid>/status\` (VmRSS); PSS summed from \`/proc/<pid>/smaps_rollup\` over the"
	echo "  primary and every worker, which counts shared pages (class data sharing, the jar) once."
	echo "- Deploy runs: a light client (curl, one keep-alive connection, $SAMPLER_RATE requests/s on \`/hello\`) runs"
	echo "  while the single JVM is stopped with TERM and started again, and while the cluster reloads on SIGHUP."
	echo "  The single JVM's deploy is not measured under wrk: wrk retries refused connections in a tight loop"
	echo "  and takes the CPU the new JVM needs to start, which would exaggerate its downtime."
	echo "- kill -9 and the second reload run under full wrk load on \`/hello\` ($CONNECTIONS keep-alive connections):"
	echo "  the fault comes after ${FAULT_AT} s and the run stops ${FAULT_TAIL} s after recovery. \"Socket\" errors are"
	echo "  wrk's connect, read, write and timeout errors. Baseline is the median requests/s before the fault;"
	echo "  \"lowest\" is the smallest one-second bucket from the fault until recovery; on 2 cores a starting"
	echo "  worker JVM competes with the serving ones and with wrk for the CPU."
	echo "  \`bench/reload-under-load.sh\` repeats the reload at about half capacity, with keep-alive and with"
	echo "  \`Connection: close\`."
	echo "- The machine is shared; other processes may have used CPU during the run (see the load averages)."
	echo
	echo "## Requests per second around the faults"
	echo
	echo "Second 0 is the second of the fault (TERM of the single JVM, SIGHUP, kill -9 of a worker)."
	echo "Deploy columns count successful responses of the $SAMPLER_RATE req/s client; the others count wrk's responses."
	echo
	echo "| second | single: deploy (TERM + start) | cluster: deploy (SIGHUP) | cluster: kill -9 under full load | cluster: reload under full load |"
	echo "|---:|---:|---:|---:|---:|"
	if [[ $FAULTS == 1 ]]; then
		for key in "${!SERIES[@]}"; do echo "${key#*|}"; done | sort -n | uniq | while read -r t; do
			echo "| $t | ${SERIES[single_deploy|$t]:-} | ${SERIES[cluster_deploy|$t]:-} | ${SERIES[cluster_kill|$t]:-} | ${SERIES[cluster_reload|$t]:-} |"
		done
	fi
	echo
	echo "## Every round"
	echo
	echo '```'
	for key in $(printf '%s\n' "${!V[@]}" | sort); do
		printf '%-32s %s\n' "$key" "${V[$key]# }"
	done
	echo '```'
} >"$REPORT.tmp"
mv "$REPORT.tmp" "$REPORT"
if [[ -n ${NAME:-} && $NAME != latest ]]; then
	cp "$REPORT" "$RESULTS_DIR/$NAME.md"
fi
log "wrote $REPORT"

"$BENCH_DIR/chart.sh" "$REPORT" "$RESULTS_DIR/latest.png"
log "wrote $RESULTS_DIR/latest.png"
cat "$REPORT"
