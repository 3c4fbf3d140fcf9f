#!/usr/bin/env bash
# Render a PNG chart from a bench/run.sh report.
#
#   bench/chart.sh [bench/results/latest.md] [bench/results/latest.png]
#
# Top: every ratio cluster/single of the report's table (green: target hit, red:
# target missed, grey: no target). Bottom: successful requests per second around the
# faults, as % of each run's median before the fault.
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

# Around the faults: "second" then each column as % of its median before second 0
awk -F'|' '
	/^## Requests per second around the faults/ { section = 1; next }
	section && /^## / { section = 0 }
	section && /^\| *-?[0-9]+ *\|/ {
		n++
		t[n] = $2 + 0
		for (c = 3; c <= 6; c++) {
			v = $c
			gsub(/ /, "", v)
			val[n, c] = v
			if (v != "" && t[n] < 0) before[c, ++nb[c]] = v + 0
		}
	}
	END {
		for (c = 3; c <= 6; c++) {
			m = nb[c]
			for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
				if (before[c, j] < before[c, i]) { x = before[c, i]; before[c, i] = before[c, j]; before[c, j] = x }
			base[c] = (m == 0) ? 0 : (m % 2) ? before[c, (m + 1) / 2] : (before[c, m / 2] + before[c, m / 2 + 1]) / 2
		}
		for (i = 1; i <= n; i++) {
			line = t[i]
			for (c = 3; c <= 6; c++)
				line = line "\t" ((val[i, c] == "" || base[c] == 0) ? "?" : sprintf("%.1f", 100 * val[i, c] / base[c]))
			print line
		}
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
set title "successful requests per second around each fault, % of the median before it (x: seconds since TERM / SIGHUP / kill -9)"
set xtics norotate nomirror autofreq
set bmargin 5
set ylabel "% of baseline"
set key below
set yrange [0:*]
plot "$DATA/series.tsv" using 1:2 with linespoints lw 2 pt 7 ps 0.5 title "single: deploy = TERM + start (light load)", \
     "" using 1:3 with linespoints lw 2 pt 7 ps 0.5 title "cluster: deploy = SIGHUP reload (light load)", \
     "" using 1:4 with linespoints lw 2 pt 7 ps 0.5 title "cluster: kill -9 of a worker (full load)", \
     "" using 1:5 with linespoints lw 2 pt 7 ps 0.5 title "cluster: SIGHUP reload (full load)", \
     100 with lines lc rgb "black" dt 2 notitle
EOF
	fi
	echo "unset multiplot"
} >"$DATA/chart.gp"
gnuplot "$DATA/chart.gp"
