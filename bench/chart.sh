#!/usr/bin/env bash
# Render a PNG chart from a bench/run.sh report.
#
#   bench/chart.sh [bench/results/latest.md] [bench/results/latest.png]
#
# Top: every ratio cluster/single of the report's table (green: target hit, red:
# target missed, grey: no target). Bottom: requests per second around the faults.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REPORT=${1:-$BENCH_DIR/results/latest.md}
PNG=${2:-${REPORT%.md}.png}
[[ -f $REPORT ]] || die "no report at $REPORT"
ensure_tools gnuplot

DATA=$(mktemp -d "${TMPDIR:-/tmp}/cluster-chart.XXXXXX")
trap 'rm -rf "$DATA"' EXIT

# Ratios: "label<TAB>ratio<TAB>colour" from the rows of the main table that have one
awk -F'|' '
	/^\| Metric \|/ { table = 1; next }
	table && !/^\|/ { table = 0 }
	table && $5 ~ /[0-9.]+x/ {
		label = $2
		gsub(/^ +| +$/, "", label)
		sub(/ \(.*$/, "", label)          # drop units and notes
		gsub(/\?[^ ]*/, "", label)         # /heavy?n=... -> /heavy
		sub(/^Throughput /, "req/s ", label)
		sub(/^Latency /, "", label)
		sub(/^Start to ready.*/, "start to ready", label)
		sub(/^RSS of each application JVM.*/, "RSS per JVM", label)
		sub(/^Total PSS of the process tree, /, "total PSS ", label)
		ratio = $5
		gsub(/[ x]/, "", ratio)
		colour = ($7 ~ /miss/) ? "0xd62728" : ($7 ~ /hit/) ? "0x2ca02c" : "0x9e9e9e"
		printf "\"%s\"\t%s\t%s\n", label, ratio, colour
	}' "$REPORT" >"$DATA/ratios.tsv"

# Requests per second around the faults: "second single cluster-kill cluster-reload"
awk -F'|' '
	/^## Requests per second around the faults/ { section = 1; next }
	section && /^## / { section = 0 }
	section && /^\| *-?[0-9]+ *\|/ {
		out = ""
		for (i = 2; i <= 5; i++) {
			v = $i
			gsub(/ /, "", v)
			out = out (i > 2 ? "\t" : "") (v == "" ? "?" : v)
		}
		print out
	}' "$REPORT" >"$DATA/series.tsv"

[[ -s $DATA/ratios.tsv ]] || die "no ratios found in $REPORT"
TITLE=$(sed -n '3p' "$REPORT" | tr -d '"\\{}^_@&~' | cut -c1-120)
HAS_SERIES=0
[[ -s $DATA/series.tsv ]] && HAS_SERIES=1

{
	cat <<EOF
set terminal pngcairo size 1200,$((HAS_SERIES ? 1000 : 560)) font "sans,10"
set output "$PNG"
set datafile separator "\t"
set datafile missing "?"
set multiplot layout $((HAS_SERIES ? 2 : 1)),1 title "Cluster against single JVM\n{/*0.8 $TITLE}"
set title "cluster / single (green: target hit, red: missed, grey: no target)"
set style fill solid 0.8 border -1
set boxwidth 0.7
set xtics rotate by -35 left nomirror
set ytics nomirror
set grid ytics
set yrange [0:*]
set ylabel "ratio"
set bmargin 7
set rmargin 10
unset key
plot "$DATA/ratios.tsv" using 0:2:3:xtic(1) with boxes lc rgb variable, \
     "" using 0:2:(sprintf("%.2f", \$2)) with labels offset 0,0.7 font ",9", \
     1 with lines lc rgb "black" dt 2
EOF
	if ((HAS_SERIES)); then
		cat <<EOF
set title "requests per second on /hello around each fault (second 0: TERM / kill -9 / SIGHUP)"
set xtics norotate nomirror autofreq
set bmargin 4
set xlabel "second"
set ylabel "requests/s"
set key top right
set yrange [0:*]
plot "$DATA/series.tsv" using 1:2 with linespoints lw 2 pt 7 ps 0.6 title "single: TERM + start again", \
     "" using 1:3 with linespoints lw 2 pt 7 ps 0.6 title "cluster: kill -9 of a worker", \
     "" using 1:4 with linespoints lw 2 pt 7 ps 0.6 title "cluster: SIGHUP reload"
EOF
	fi
	echo "unset multiplot"
} >"$DATA/chart.gp"
gnuplot "$DATA/chart.gp"
