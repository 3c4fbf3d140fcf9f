#!/usr/bin/env bash
# Rolling reload (SIGHUP to the primary) under about half the measured capacity.
#
#   bench/reload-under-load.sh
#
# Starts the sample app as a cluster, then for keep-alive and for
# `Connection: close`:
#   1. measures capacity: requests/s with CONNECTIONS connections and no pacing;
#   2. runs wrk at about half of it (see "Pacing" below) on ENDPOINT;
#   3. sends SIGHUP to the primary twice, each after the previous reload finished
#      and HUP_SPACING seconds passed, and waits for each reload to finish;
#   4. prints socket errors, non-2xx responses and requests/s in every second.
#
# Pacing: wrk has no rate limit (wrk2 is not available). Fewer connections alone do
# not halve a closed loop on a fast endpoint (one connection on /hello already does
# a large share of it), so every connection also waits between requests, through
# wrk's Lua delay() hook (bench/wrk-report.lua, WRK_DELAY_MS). The wait is computed
# from the measured capacity and the connection count, then corrected once or twice
# with short probes. The achieved rate is printed next to the capacity: it is an
# approximation of half capacity, not a fixed rate.
#
# Exit code: 0 when the measurement ran, even if it found errors or the primary did
# not reload (the output says so); with STRICT=1, 1 unless every reload finished
# with no error.
#
# Settings (environment): PORT=18130, ENDPOINT=/hello, CONNECTIONS=32 (capacity run),
# THREADS=2, CAPACITY_DURATION=5, FRACTION=0.5, HUP_COUNT=2, HUP_SPACING=5, LEAD=5,
# TAIL=5, RELOAD_TIMEOUT=120, CLUSTER_INSTANCES=max.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-18130}
ENDPOINT=${ENDPOINT:-/hello}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
CAPACITY_DURATION=${CAPACITY_DURATION:-5}
FRACTION=${FRACTION:-0.5}
HUP_COUNT=${HUP_COUNT:-2}
HUP_SPACING=${HUP_SPACING:-5}
LEAD=${LEAD:-5}
TAIL=${TAIL:-5}
RELOAD_TIMEOUT=${RELOAD_TIMEOUT:-120}
RUN_MAX=$((LEAD + HUP_COUNT * (RELOAD_TIMEOUT + HUP_SPACING) + TAIL + 30))

ensure_tools curl jq wrk ss timeout
ensure_jar
check_port_range "$PORT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cluster-reload.XXXXXX")
install_cleanup_trap
use_private_jar "$WORK"
log "work directory (logs, raw wrk output, the jar's copy): $WORK ($JAR_INFO)"

app_start cluster "$PORT" "$WORK/cluster.log"
startup=$(app_wait_ready) || die "the cluster did not become ready; see $APP_LOG"
log "cluster ready after $startup ms: $(cluster_status | jq -c '[.workers[] | {id, pid, generation}]')"

FAILED=0
SUMMARY=()

# Requests/s of a wrk output file
rate_of() { wrk_rps "$1"; }

run_variant() {
	local name=$1
	shift
	local headers=("$@")
	echo
	echo "=== $name ($ENDPOINT) ==="

	# 1. Capacity, after a short warm-up
	wrk_run "$WORK/$name-warmup.txt" 3 "$CONNECTIONS" "$ENDPOINT" "${headers[@]}"
	wrk_run "$WORK/$name-capacity.txt" "$CAPACITY_DURATION" "$CONNECTIONS" "$ENDPOINT" "${headers[@]}"
	local capacity
	capacity=$(rate_of "$WORK/$name-capacity.txt")
	[[ -n $capacity ]] || die "capacity run failed: $(tail -3 "$WORK/$name-capacity.txt")"
	local target
	target=$(awk -v c="$capacity" -v f="$FRACTION" 'BEGIN { printf "%.0f", c * f }')

	# 2. Pacing: about 5 ms between requests per connection, 2 to 4x CONNECTIONS connections
	local conns delay probe measured i
	conns=$(awk -v t="$target" -v max=$((CONNECTIONS * 4)) \
		'BEGIN { c = int(t * 0.005 + 0.5); if (c < 2) c = 2; if (c > max) c = max; print c }')
	delay=$(awk -v t="$target" -v c="$conns" 'BEGIN { printf "%.3f", c * 1000 / t }')
	for i in 1 2 3; do
		probe=$WORK/$name-probe$i.txt
		WRK_DELAY_MS=$delay wrk_run "$probe" 3 "$conns" "$ENDPOINT" "${headers[@]}"
		measured=$(rate_of "$probe")
		[[ -n $measured && $measured != 0.0 ]] || break
		log "$name: probe $i: $conns connections, ${delay} ms between requests: $measured req/s (target $target)"
		# Within 10% of the target: done; otherwise scale the wait (latency adds to it)
		awk -v m="$measured" -v t="$target" 'BEGIN { exit !(m > 0.9 * t && m < 1.1 * t) }' && break
		delay=$(awk -v d="$delay" -v m="$measured" -v t="$target" \
			'BEGIN { n = d * m / t; if (n < 0.05) n = 0.05; printf "%.3f", n }')
	done

	# 3. The run, with the SIGHUPs
	local file=$WORK/$name-run.txt first_hup="" last_end="" gens lines hup_second
	local -a marks=()
	WRK_DELAY_MS=$delay wrk_start "$file" "$RUN_MAX" "$conns" "$ENDPOINT" "${headers[@]}"
	sleep "$LEAD"
	local reloads_ok=1
	for ((i = 1; i <= HUP_COUNT; i++)); do
		gens=$(cluster_generations) || die "/actuator/cluster does not answer; see $APP_LOG"
		lines=$(log_lines)
		hup_second=$(date +%s)
		[[ -n $first_hup ]] || first_hup=$hup_second
		log "$name: SIGHUP $i to the primary (pid $APP_PID)"
		kill -HUP "$APP_PID" 2>/dev/null || die "the primary (pid $APP_PID) is gone; see $APP_LOG"
		marks+=("$hup_second SIGHUP $i")
		wait_reload "$gens" "$lines" "$RELOAD_TIMEOUT"
		last_end=$(date +%s)
		case $RELOAD_RESULT in
			done)
				log "$name: reload $i finished after $RELOAD_MS ms"
				marks+=("$last_end reload $i done (${RELOAD_MS} ms)") ;;
			ignored | aborted)
				reloads_ok=0
				log "$name: reload $i $RELOAD_RESULT; the primary logged: $RELOAD_LOG"
				marks+=("$last_end reload $i $RELOAD_RESULT: $RELOAD_LOG") ;;
			not-started)
				reloads_ok=0
				log "$name: reload $i: no worker changed within ${RELOAD_START_TIMEOUT:-15} s of SIGHUP"
				marks+=("$last_end reload $i: not started") ;;
			primary-exited)
				reloads_ok=0
				log "$name: reload $i: the primary exited; see $APP_LOG"
				marks+=("$last_end reload $i: the primary exited")
				break ;;
			timeout)
				reloads_ok=0
				log "$name: reload $i did not finish within $RELOAD_TIMEOUT s"
				marks+=("$last_end reload $i: timed out") ;;
		esac
		if ((i < HUP_COUNT)); then sleep "$HUP_SPACING"; fi
	done
	sleep "$TAIL"
	stop_wrk
	[[ -n $(wrk_get "$file" requests) ]] || die "wrk failed: $(tail -3 "$file")"

	# 4. Report
	local socket non2xx codes achieved base min dip below
	socket=$(wrk_socket_errors "$file")
	non2xx=$(wrk_get "$file" non2xx)
	codes=$(wrk_get "$file" codes)
	achieved=$(rate_of "$file")
	read -r base min dip below <<<"$(dip_stats "$file" "$first_hup" "$last_end")"
	echo
	echo "capacity ($CONNECTIONS connections, no pacing): $capacity req/s," \
		"responses per worker (% by id): $(worker_split "$(wrk_get "$WORK/$name-capacity.txt" workers)")"
	echo "paced run: $conns connections, ${delay} ms between requests: $base req/s before the first SIGHUP" \
		"($(awk -v a="$base" -v c="$capacity" 'BEGIN { printf "%.0f", 100 * a / c }')% of capacity)," \
		"$achieved req/s over the whole run"
	echo "requests: $(wrk_get "$file" requests), responses per worker id: $(wrk_get "$file" workers)"
	echo "socket errors: $socket (connect $(wrk_get "$file" connect), read $(wrk_get "$file" read)," \
		"write $(wrk_get "$file" write), timeout $(wrk_get "$file" timeout))"
	codes=${codes#-}
	echo "non-2xx responses: $non2xx${codes:+ (status:count $codes)}"
	echo "latency: p50 $(wrk_get "$file" p50_us) us, p99 $(wrk_get "$file" p99_us) us, max $(wrk_get "$file" max_us) us"
	echo "throughput: baseline $base req/s (median before the first SIGHUP), lowest second $min req/s" \
		"(-$dip%) between the first SIGHUP and the last reload's end, $below s below half the baseline"
	echo
	echo "requests per second (t = seconds since the first SIGHUP; the partial first and last seconds left out):"
	wrk_buckets "$file" | awk 'NR > 1 { while (++prev < $1) print prev, 0 } { print; prev = $1 }' | sed '1d;$d' |
		while read -r second count; do
			local note="" mark
			for mark in "${marks[@]}"; do
				if [[ ${mark%% *} == "$second" ]]; then note="$note  <- ${mark#* }"; fi
			done
			printf '  t=%+4d %7d %s%s\n' $((second - first_hup)) "$count" \
				"$(awk -v c="$count" -v b="$base" 'BEGIN { n = (b > 0) ? int(40 * c / b + 0.5) : 0; if (n > 60) n = 60; s = ""; for (i = 0; i < n; i++) s = s "#"; print s }')" \
				"$note"
		done
	local verdict=PASS
	if ((reloads_ok == 0)); then
		verdict="FAIL (no complete reload)"
	elif ((socket + non2xx > 0)); then
		verdict="FAIL ($((socket + non2xx)) errors)"
	fi
	[[ $verdict == PASS ]] || FAILED=1
	echo "result: $verdict"
	SUMMARY+=("$(printf '%-16s %6s req/s paced (capacity %s), socket errors %s, non-2xx %s, lowest second -%s%%: %s' \
		"$name" "$base" "$capacity" "$socket" "$non2xx" "$dip" "$verdict")")
}

run_variant keep-alive
run_variant connection-close -H 'Connection: close'

echo
echo "=== summary ==="
printf '%s\n' "${SUMMARY[@]}"
log "cluster log: $APP_LOG"
if [[ ${STRICT:-0} == 1 && $FAILED == 1 ]]; then
	exit 1
fi
exit 0
