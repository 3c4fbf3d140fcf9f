#!/usr/bin/env bash
# The benchmark: cluster mode against one JVM, nginx in front of N JVMs and N independent
# JVMs, side by side in one run on this machine. The measuring and the statistics are in
# bench/src (io.clusterboot.bench.Bench, unit-tested); this script installs what it
# needs, builds, and starts it.
#
#   bench/run.sh                                  # about 20 minutes on 2 cores
#   SECTIONS=start bench/run.sh                   # start to ready only
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/run.sh
#
# Settings (environment):
#   APP=sample         the application: sample (sample-app: /hello, /heavy, /locked) or
#                      data (sample-data-app: Hibernate on H2, Thymeleaf; boots like real ones)
#   SECTIONS="start peers steady reload"   what to run: start to ready; steady state of
#                      the peers (one JVM, nginx + N JVMs, N independent JVMs; or any of
#                      single, nginx, independent alone); steady
#                      state of each cluster variant; reloads of each variant; and, not by
#                      default, stomp: the latency a STOMP message gains by crossing
#                      workers (APP=sample only); and lean-primary: this starter's supervisor
#                      in a small JVM of its own (bench's LeanPrimary), the memory a primary
#                      without Spring Boot's environment would hold; and deploy: reloads
#                      after a new build is written over the jar, as a deploy does
#   MESSAGES_PER_SECOND=1000   the stomp section's publishing rate
#   WORKERS=<cores>    worker JVMs of the cluster, and plain JVMs of the peers
#   CONNECTIONS=32 THREADS=2   wrk load
#   LOAD_PATH=/hello   (data: /owners?city=Lyon); the sample also has /heavy and /locked?ms=20
#   WINDOW=10 MAX_WINDOWS=9   seconds of one window; windows at most until steady
#   STARTS=3           launches per configuration for start to ready
#   RELOADS=2          rolling reloads under full load per cluster variant
#   VARIANTS="cluster=;no-cds=--cluster.class-data-sharing=false"
#                      cluster variants: name=JVM options and --arguments, ';' between;
#                      a path to a .jar runs that jar, e.g. "before=/tmp/old.jar;after="
#   PORT=18110         first port; the run uses ports up to about PORT+40 on 127.0.0.1
#   OUT=bench/results/latest.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
for tool in wrk nginx; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
	echo "[bench] installing ${missing[*]} from Debian's packages" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Debian starts the nginx service on install; the bench runs its own
if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
	systemctl stop nginx || true
fi

case ${APP:=sample} in
	sample) module=sample-app; export LOAD_PATH=${LOAD_PATH:-/hello} ;;
	data) module=sample-data-app; export LOAD_PATH=${LOAD_PATH:-/owners?city=Lyon} ;;
	*) echo "APP must be sample or data, not '$APP'" >&2; exit 2 ;;
esac
if [[ ! -f $module/target/$module.jar || ! -f bench/target/cluster-bench.jar ]]; then
	./mvnw -B -q package -DskipTests -pl "$module,bench" -am
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cluster-bench.XXXXXX")
# A private copy: a rebuild in another shell must not change the jar under a running JVM
cp "$module/target/$module.jar" "$WORK/app.jar"
echo "[bench] work directory (logs, snapshots): $WORK" >&2

export JAR="$WORK/app.jar" WORK WRK_SCRIPT="$PWD/bench/wrk-report.lua" BENCH_CLASSES="$PWD/bench/target/classes"
export VARIANTS=${VARIANTS-"cluster=;no-cds=--cluster.class-data-sharing=false"}
export OUT=${OUT:-$PWD/bench/results/latest.md}
exec "${JAVA:-java}" -jar bench/target/cluster-bench.jar
