# Shared helpers for the bench/ scripts. Source it; do not run it.
#
# Process rules kept here:
# - every process is started by these scripts and remembered by PID ($!);
# - workers are only ever killed after checking that /proc/<pid>/cmdline is our
#   jar on our port;
# - nothing is found or killed by name.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
JAR=${JAR:-$ROOT_DIR/sample-app/target/sample-app.jar}
WRK_SCRIPT=$BENCH_DIR/wrk-report.lua
HOST=127.0.0.1

# How long (seconds) to wait for an application to become ready, and for a TERM to end it
READY_TIMEOUT=${READY_TIMEOUT:-120}
STOP_TIMEOUT=${STOP_TIMEOUT:-45}

APP_PID=""        # the JVM we launched: the single JVM, or the cluster primary
APP_MODE=""       # single | cluster
APP_PORT=""
APP_LOG=""
APP_T0=0          # launch time, ms
APP_EXIT=""       # exit code of the last stopped APP_PID
WRK_PID=""        # a background wrk run, if any
declare -A TRACKED_WORKERS=()   # worker pids ever seen in /actuator/cluster

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

check_port_range() {
	local port=$1
	if [[ ${ALLOW_ANY_PORT:-0} != 1 ]] && (( port < 18100 || port > 18199 )); then
		die "port $port is outside 18100-18199 (set ALLOW_ANY_PORT=1 to allow it)"
	fi
	if [[ -n $(ss -Htln "sport = :$port" 2>/dev/null) ]]; then
		die "port $port is already in use; choose another with PORT=..."
	fi
}

# Install the commands we need from Debian's packages, with one apt-get update.
ensure_tools() {
	local missing=() cmd pkg
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 && continue
		case $cmd in
			gnuplot) pkg=gnuplot-nox ;;
			ss) pkg=iproute2 ;;
			timeout) pkg=coreutils ;;
			*) pkg=$cmd ;;
		esac
		missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	local sudo=""
	if [[ $(id -u) != 0 ]]; then
		command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
		sudo=sudo
	fi
	log "installing ${missing[*]} (apt-get)"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_jar() {
	command -v java >/dev/null 2>&1 || die "java (17 or later) is not on the PATH"
	if [[ ! -f $JAR ]]; then
		log "building $JAR"
		(cd "$ROOT_DIR" && ./mvnw -q -B -DskipTests install)
	fi
	[[ -f $JAR ]] || die "no jar at $JAR after the build"
}

# Run from a private copy of the jar: a rebuild of sample-app.jar while a JVM runs
# from it (mvnw install in another shell) breaks that JVM's lazy class loading.
# $1 = directory for the copy. Sets JAR and JAR_INFO.
PRIVATE_JAR=""
use_private_jar() {
	local copy=$1/sample-app.jar
	cp "$JAR" "$copy"
	PRIVATE_JAR=$copy
	JAR_INFO="$(basename "$JAR") built $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$copy" | cut -c1-12)"
	JAR=$copy
}

# True while the process exists and is not a zombie
pid_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != Z ]]
}

# True if pid runs our jar on our port: the only processes we ever signal besides $! pids
is_our_jvm() {
	local cmdline
	cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
	[[ $cmdline == *"$JAR"* && $cmdline == *"--server.port=$APP_PORT "* ]]
}

# Start the sample app. $1 = single|cluster, $2 = port, $3 = log file
app_start() {
	APP_MODE=$1 APP_PORT=$2 APP_LOG=$3
	local instances=1
	[[ $APP_MODE == cluster ]] && instances=${CLUSTER_INSTANCES:-max}
	APP_T0=$(now_ms)
	# A simple command, so that $! is the JVM itself
	java ${BENCH_JAVA_OPTS:-} -jar "$JAR" --server.port="$APP_PORT" --cluster.instances="$instances" \
		>>"$APP_LOG" 2>&1 </dev/null &
	APP_PID=$!
	log "started $APP_MODE (pid $APP_PID, port $APP_PORT, log $APP_LOG)"
}

cluster_status() {
	curl -sf -m 2 "http://$HOST:$APP_PORT/actuator/cluster"
}

# Remember worker pids from a status document on stdin
track_workers() {
	local pid
	for pid in $(jq -r '.workers[]?.pid // empty' 2>/dev/null); do
		TRACKED_WORKERS[$pid]=1
	done
}

# Children of our primary, from /proc (they are processes our primary started)
track_children() {
	[[ -n $APP_PID ]] || return 0
	local stat pid rest
	for stat in /proc/[0-9]*/stat; do
		rest=$(cat "$stat" 2>/dev/null) || continue
		pid=${rest%% *}
		rest=${rest##*) }
		set -- $rest
		[[ $2 == "$APP_PID" ]] && TRACKED_WORKERS[$pid]=1
	done
	return 0
}

# Poll until ready. Prints the ms from launch to ready; returns 1 on timeout or exit.
#   single: /actuator/health is UP
#   cluster: /actuator/cluster lists `desired` workers, all READY
app_wait_ready() {
	local deadline=$(($(now_ms) + READY_TIMEOUT * 1000)) status
	while (($(now_ms) < deadline)); do
		pid_alive "$APP_PID" || { log "$APP_MODE (pid $APP_PID) exited before it was ready"; return 1; }
		if [[ $APP_MODE == single ]]; then
			if curl -sf -m 1 "http://$HOST:$APP_PORT/actuator/health" 2>/dev/null | grep -q '"UP"'; then
				echo $(($(now_ms) - APP_T0))
				return 0
			fi
		elif status=$(cluster_status 2>/dev/null); then
			track_workers <<<"$status"
			if jq -e '.mode == "cluster" and (.workers | length) == .desired
					and all(.workers[]; .state == "READY" and .pid != null)' >/dev/null <<<"$status"; then
				echo $(($(now_ms) - APP_T0))
				return 0
			fi
		fi
		sleep 0.1
	done
	log "$APP_MODE (pid $APP_PID) not ready after ${READY_TIMEOUT}s"
	return 1
}

# Stop what app_start started: TERM, wait, then KILL it and any worker still alive.
# Sets APP_EXIT to the exit code (or "killed") and prints nothing.
app_stop() {
	[[ -n $APP_PID ]] || return 0
	local pid=$APP_PID deadline
	if [[ $APP_MODE == cluster ]]; then
		track_workers < <(cluster_status 2>/dev/null || true)
		track_children
	fi
	APP_EXIT=""
	if pid_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		deadline=$(($(now_ms) + STOP_TIMEOUT * 1000))
		while pid_alive "$pid" && (($(now_ms) < deadline)); do
			sleep 0.1
		done
		if pid_alive "$pid"; then
			log "$APP_MODE (pid $pid) still running ${STOP_TIMEOUT}s after TERM: killing it"
			kill -KILL "$pid" 2>/dev/null || true
			APP_EXIT=killed
		fi
	fi
	local code=0
	wait "$pid" 2>/dev/null || code=$?
	[[ -n $APP_EXIT ]] || APP_EXIT=$code
	local worker
	for worker in "${!TRACKED_WORKERS[@]}"; do
		deadline=$(($(now_ms) + 10000))
		while pid_alive "$worker" && is_our_jvm "$worker" && (($(now_ms) < deadline)); do
			sleep 0.1
		done
		if pid_alive "$worker" && is_our_jvm "$worker"; then
			log "worker pid $worker outlived its primary: killing it"
			kill -KILL "$worker" 2>/dev/null || true
		fi
	done
	TRACKED_WORKERS=()
	APP_PID=""
}

stop_wrk() {
	if [[ -n $WRK_PID ]]; then
		pid_alive "$WRK_PID" && kill -INT "$WRK_PID" 2>/dev/null || true
		local i
		for i in $(seq 50); do pid_alive "$WRK_PID" || break; sleep 0.1; done
		pid_alive "$WRK_PID" && kill -KILL "$WRK_PID" 2>/dev/null || true
		wait "$WRK_PID" 2>/dev/null || true
		WRK_PID=""
	fi
}

bench_cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_wrk
	sampler_stop
	app_stop
	# The logs stay for a look; the jar's copy goes
	[[ -z $PRIVATE_JAR ]] || rm -f "$PRIVATE_JAR"
	return $rc
}

install_cleanup_trap() {
	trap bench_cleanup EXIT
	trap 'log "interrupted"; exit 130' INT TERM
}

# wrk run in the foreground. $1 = output file, $2 = seconds, $3 = connections, $4 = path,
# further arguments go to wrk (e.g. -H 'Connection: close'). Bounded by `timeout`.
wrk_run() {
	local out=$1 seconds=$2 connections=$3 path=$4
	shift 4
	local threads=${THREADS:-2}
	((threads > connections)) && threads=$connections
	timeout -k 5 $((seconds + 30)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s \
		-s "$WRK_SCRIPT" "$@" "http://$HOST:$APP_PORT$path" >"$out" 2>&1 || true
}

# wrk run in the background until stop_wrk (at most $2 seconds). Same arguments.
wrk_start() {
	local out=$1 seconds=$2 connections=$3 path=$4
	shift 4
	local threads=${THREADS:-2}
	((threads > connections)) && threads=$connections
	wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s \
		-s "$WRK_SCRIPT" "$@" "http://$HOST:$APP_PORT$path" >"$out" 2>&1 &
	WRK_PID=$!
}

# Value of key in the RESULT line of a wrk output file (empty if wrk failed)
wrk_get() {
	sed -n 's/^RESULT //p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

wrk_rps() {
	local req us
	req=$(wrk_get "$1" requests) us=$(wrk_get "$1" duration_us)
	[[ -n $req && -n $us && $us != 0 ]] || { echo ""; return; }
	awk -v r="$req" -v u="$us" 'BEGIN { printf "%.1f", r * 1e6 / u }'
}

wrk_socket_errors() {
	local f=$1
	[[ -n $(wrk_get "$f" requests) ]] || { echo ""; return; }
	echo $(($(wrk_get "$f" connect) + $(wrk_get "$f" read) + $(wrk_get "$f" write) + $(wrk_get "$f" timeout)))
}

# "second count" lines of a wrk output file
wrk_buckets() {
	sed -n 's/^BUCKET //p' "$1"
}

# Throughput dip around an event. $1 = wrk output, $2 = event epoch second,
# $3 = end-of-event epoch second. Prints: baseline min dip_percent seconds_below_half
dip_stats() {
	local first last
	first=$(wrk_buckets "$1" | awk 'NR == 1 { print $1 }')
	last=$(wrk_buckets "$1" | awk '{ s = $1 } END { print s }')
	[[ -n $first ]] || { echo "- - - -"; return; }
	# The first and last second are partial: leave them out. Missing seconds count as 0.
	wrk_buckets "$1" | awk -v first="$first" -v last="$last" -v ev="$2" -v end="$3" '
		{ n[$1] = $2 }
		END {
			nb = 0
			for (s = first + 1; s < ev && s < last; s++) b[++nb] = (s in n) ? n[s] : 0
			if (nb == 0) { print "- - - -"; exit }
			# median of the seconds before the event
			for (i = 1; i <= nb; i++) for (j = i + 1; j <= nb; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
			base = (nb % 2) ? b[(nb + 1) / 2] : (b[nb / 2] + b[nb / 2 + 1]) / 2
			min = -1; below = 0
			for (s = ev; s <= end + 1 && s < last; s++) {
				v = (s in n) ? n[s] : 0
				if (min < 0 || v < min) min = v
				if (v < base / 2) below++
			}
			if (min < 0) min = base
			dip = (base > 0 && min < base) ? 100 * (base - min) / base : 0
			printf "%.0f %.0f %.0f %d\n", base, min, dip, below
		}'
}

# Memory of the running app, in kB. Prints: primary_rss worker_rss_list total_pss
# (for single: "- <rss> <pss>").
mem_snapshot() {
	local status pids=() pid primary_rss="-" worker_rss=() pss=0 v
	if [[ $APP_MODE == cluster ]]; then
		status=$(cluster_status) || { echo "- - -"; return; }
		track_workers <<<"$status"
		mapfile -t pids < <(jq -r '.workers[] | select(.pid != null) | .pid' <<<"$status")
		primary_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$APP_PID/status")
		v=$(awk '/^Pss:/ { print $2 }' "/proc/$APP_PID/smaps_rollup")
		pss=$((pss + v))
	else
		pids=("$APP_PID")
	fi
	for pid in "${pids[@]}"; do
		v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
		worker_rss+=("$v")
		v=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null) || continue
		pss=$((pss + v))
	done
	local IFS=/
	echo "$primary_rss ${worker_rss[*]} $pss"
}

# Generation of every worker id, as a JSON object {"1":gen,...}, from a status on stdin
worker_generations() {
	jq -c '[.workers[] | {key: (.id | tostring), value: .generation}] | from_entries'
}

# The same from the running cluster, retried for up to 5 s; fails if it never answers
cluster_generations() {
	local i status
	for i in $(seq 20); do
		if status=$(cluster_status 2>/dev/null); then
			worker_generations <<<"$status"
			return 0
		fi
		sleep 0.25
	done
	return 1
}

# Wait for a rolling reload to finish after a SIGHUP.
# $1 = generations before the HUP (from cluster_generations), $2 = number of lines
# in the log before the HUP, $3 = timeout in seconds.
# Sets RELOAD_RESULT and RELOAD_MS (ms from the call until every worker is READY
# with a newer generation), and RELOAD_LOG (the primary's log line that explains
# a reload that did not happen). RELOAD_RESULT is one of:
#   done            every worker was replaced and is READY
#   ignored         the primary logged "Ignoring SIGHUP" (no reload support)
#   aborted         the primary logged "Reload aborted" (e.g. cluster.ready-timeout)
#   not-started     no worker changed within RELOAD_START_TIMEOUT (15) seconds
#   primary-exited  the primary is gone
#   timeout         not done within $3 seconds
wait_reload() {
	local before=$1 log_lines=$2 timeout=$3
	local t0 status started=0 elapsed line
	t0=$(now_ms)
	RELOAD_RESULT=timeout RELOAD_MS="" RELOAD_LOG=""
	while true; do
		elapsed=$(($(now_ms) - t0))
		((elapsed > timeout * 1000)) && break
		if ! pid_alive "$APP_PID"; then
			RELOAD_RESULT=primary-exited
			return 0
		fi
		line=$(tail -n +$((log_lines + 1)) "$APP_LOG" | grep -m1 -E 'Ignoring SIGHUP|Reload aborted' || true)
		if [[ -n $line ]]; then
			RELOAD_LOG=$(sed -E 's/^.*(Ignoring SIGHUP|Reload aborted)/\1/' <<<"$line")
			RELOAD_RESULT=ignored
			[[ $line == *"Reload aborted"* ]] && RELOAD_RESULT=aborted
			return 0
		fi
		if status=$(cluster_status 2>/dev/null); then
			track_workers <<<"$status"
			if jq -e --argjson before "$before" '(.workers | length) == .desired
					and all(.workers[]; .state == "READY" and .pid != null
						and .generation > ($before[.id | tostring] // 0))' >/dev/null <<<"$status"; then
				RELOAD_RESULT=done RELOAD_MS=$elapsed
				return 0
			fi
			if jq -e --argjson before "$before" '(.workers | length) != .desired
					or any(.workers[]; .state != "READY" or .generation > ($before[.id | tostring] // 0))' \
					>/dev/null <<<"$status"; then
				started=1
			fi
		fi
		if ((started == 0 && elapsed > ${RELOAD_START_TIMEOUT:-15} * 1000)); then
			RELOAD_RESULT=not-started
			return 0
		fi
		sleep 0.2
	done
}

log_lines() { wc -l <"$APP_LOG"; }

# "a/b" percentages from a wrk workers=1:100,2:300 value: "25/75"
worker_split() {
	tr ',' '\n' <<<"$1" | awk -F: '$2 != "" { n[++k] = $2; t += $2 }
		END { for (i = 1; i <= k; i++) printf "%s%.0f", (i > 1 ? "/" : ""), (t ? 100 * n[i] / t : 0) }'
}

# Median of the arguments (empty and "-" ignored)
median() {
	printf '%s\n' "$@" | { grep -E '^-?[0-9.]+$' || true; } | sort -g | awk '
		{ v[NR] = $1 }
		END { if (NR == 0) { print "-"; exit }
		      if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A light, steady client: curl at a fixed rate (--rate), one request after the other
# on a keep-alive connection, for at most $3 seconds (count-bounded too). Writes
# "epoch-second http-code seconds-taken" per request to $1 (code 000: no response,
# e.g. refused).
SAMPLER_PID=""
sampler_start() {
	local out=$1 rate=$2 seconds=$3
	curl -s --rate "$rate/s" -m 10 -o /dev/null -w '%{stderr}%{http_code} %{time_total}\n' \
		"http://$HOST:$APP_PORT/hello?sample=[1-$((rate * seconds))]" \
		2> >(while read -r line; do printf '%(%s)T %s\n' -1 "$line"; done >"$out") >/dev/null &
	SAMPLER_PID=$!
}

sampler_stop() {
	if [[ -n $SAMPLER_PID ]]; then
		pid_alive "$SAMPLER_PID" && kill -TERM "$SAMPLER_PID" 2>/dev/null || true
		wait "$SAMPLER_PID" 2>/dev/null || true
		SAMPLER_PID=""
		sleep 0.3 # let the time-stamping reader write its last lines
	fi
}

# Prints: total ok failed non2xx longest_gap_seconds slowest_request_seconds, where a
# gap is the time between two successful responses (at 1-second resolution)
sampler_stats() {
	awk '
		{ total++; if ($3 + 0 > slowest) slowest = $3 + 0 }
		$2 == "000" { failed++ }
		$2 != "000" && ($2 < 200 || $2 > 299) { non2xx++ }
		$2 >= 200 && $2 <= 299 {
			ok++
			if (last != "" && $1 - last > gap) gap = $1 - last
			last = $1
		}
		END { printf "%d %d %d %d %d %.2f\n", total, ok, failed, non2xx, gap, slowest }' "$1"
}

# "second count-of-2xx" lines of a sampler file, empty seconds as 0
sampler_buckets() {
	awk '$2 >= 200 && $2 <= 299 { n[$1]++ } { if (first == "") first = $1; last = $1 }
		END { for (s = first; s <= last && first != ""; s++) print s, (s in n) ? n[s] : 0 }' "$1"
}
