package io.clusterboot.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Markdown report of one run.
 */
final class Report {

	private static final double MB = 1024 * 1024;

	private Report() {
	}

	static String render(Results results, String header, String single, String cluster) {
		StringBuilder out = new StringBuilder(header).append('\n');
		if (!results.starts.isEmpty()) {
			out.append("\n## Start to ready\n\n");
			out.append("Launch until it serves (plain JVM: `/actuator/health` answers 200; cluster: every worker READY). ")
				.append("CPU: user + system time of every process of the configuration until then; cores busy: CPU ")
				.append("over time, at most the machine's CPUs.\n\n");
			out.append("| configuration | median | runs | / single JVM | CPU-s to ready | cores busy |\n|---|---|---|---|---|---|\n");
			double singleStart = Throughput.median(millis(results.starts.getOrDefault(single, List.of())));
			for (Map.Entry<String, List<Results.Start>> entry : results.starts.entrySet()) {
				double median = Throughput.median(millis(entry.getValue()));
				double cpu = Throughput.median(entry.getValue().stream().map(Results.Start::cpuSeconds).toList());
				out.append(row(entry.getKey(), seconds(median),
						millis(entry.getValue()).stream().map(Report::seconds).collect(Collectors.joining(", ")),
						ratio(median, singleStart), String.format(Locale.ROOT, "%.1f", cpu),
						String.format(Locale.ROOT, "%.1f", cpu / (median / 1000))));
			}
		}
		if (!results.steady.isEmpty()) {
			out.append("\n## Steady state\n\n");
			out.append("Full load in consecutive windows until the last ").append(Throughput.SETTLED_WINDOWS)
				.append(" agree within ").append(Throughput.SETTLED_SPREAD_PERCENT).append("%. Warm-up: seconds of load until ")
				.append(Throughput.SMOOTHING_SECONDS).append(" s averaged reach 90% of steady. CPU: user + system of every ")
				.append("process of the configuration (not wrk). Memory after the load.\n\n");
			out.append("| configuration | steady req/s | settled | windows (req/s) | warm-up | CPU-s / 1,000 req | errors | tree RSS | tree PSS | per process (RSS/PSS MB) |\n");
			out.append("|---|---|---|---|---|---|---|---|---|---|\n");
			for (Results.SteadyRun run : results.steady) {
				out.append(row(run.name(), number(run.steady().requestsPerSecond()),
						run.steady().settled() ? "yes" : "no",
						run.windows().stream().map(Report::number).collect(Collectors.joining(" ")),
						(run.warmUpSeconds() < 0) ? "never" : run.warmUpSeconds() + " s",
						String.format(Locale.ROOT, "%.3f", run.cpuSecondsPer1000()), Long.toString(run.errors()),
						megabytes(run.tree().rssBytes()), megabytes(run.tree().pssBytes()),
						run.processes()
							.stream()
							.map((process) -> process.role() + " " + Math.round(process.memory().rssBytes() / MB) + "/"
									+ Math.round(process.memory().pssBytes() / MB))
							.collect(Collectors.joining(", "))));
			}
			Results.SteadyRun reference = results.steady(single);
			Results.SteadyRun measured = results.steady(cluster);
			if (reference != null && measured != null) {
				out.append("\n| ").append(cluster).append(" / … | throughput | CPU per request | tree PSS |\n|---|---|---|---|\n");
				for (Results.SteadyRun other : results.steady) {
					if (other != measured) {
						out.append(row(other.name(),
								ratio(measured.steady().requestsPerSecond(), other.steady().requestsPerSecond()),
								ratio(measured.cpuSecondsPer1000(), other.cpuSecondsPer1000()),
								ratio(measured.tree().pssBytes(), other.tree().pssBytes())));
					}
				}
			}
			out.append("\n| configuration | started as |\n|---|---|\n");
			for (Results.SteadyRun run : results.steady) {
				out.append(row(run.name(), run.description()));
			}
		}
		if (!results.reloads.isEmpty()) {
			out.append("\n## Rolling reload under full load\n\n");
			out.append("`kill -HUP` to the primary of a cluster at steady state, under the same full load: of the ")
				.append("same jar, or of a new build written over it right before, as a deploy does (a new version, ")
				.append("without a class-data archive yet). Prepared: from the signal until the primary, with the ")
				.append("version on disk unpacked, started replacing workers. Back to 90%: seconds from the signal until ")
				.append(Throughput.SMOOTHING_SECONDS).append(" s averaged are back at 90% of steady. Shortfall: the ")
				.append("requests served short of steady in the ").append(Throughput.SHORTFALL_SECONDS)
				.append(" s after the signal, in seconds of steady throughput (what the dip cost in all).\n\n");
			out.append("| configuration | jar | reload | prepared | ended | errors | steady req/s | lowest second | back to 90% | shortfall | p99 / max latency of the run |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
			for (Results.ReloadRun run : results.reloads) {
				out.append(row(run.name(), run.newBuild() ? "new build" : "same",
						String.format(Locale.ROOT, "%.1f s", run.seconds()),
						(run.preparedSeconds() < 0) ? "–" : String.format(Locale.ROOT, "%.1f s", run.preparedSeconds()),
						run.state(),
						Long.toString(run.errors()), number(run.steady()), Long.toString(run.lowestSecond()),
						(run.backToWarmSeconds() < 0) ? "not within the run" : run.backToWarmSeconds() + " s",
						(run.shortfallSeconds() < 0) ? "–" : String.format(Locale.ROOT, "%.1f s", run.shortfallSeconds()),
						String.format(Locale.ROOT, "%.0f / %.0f ms", run.p99Millis(), run.maxMillis())));
			}
		}
		if (results.stomp != null) {
			Results.StompRun run = results.stomp;
			out.append("\n## STOMP across workers\n\n");
			out.append("One client publishes to the sample's chat room (`/app/chat`, `@SendTo(\"/topic/chat\")`, ")
				.append("Spring's simple broker) at ").append(run.rate()).append(" messages/s (")
				.append(run.achievedRate()).append(" achieved); a subscriber on the publisher's worker and one on ")
				.append("another worker time each of the ").append(run.counted()).append(" messages after the ")
				.append("warm-up. Lost: ").append(run.lost()).append(".\n\n");
			out.append("| latency | messages | p50 | p99 | max |\n|---|---|---|---|---|\n");
			out.append(latencyRow("publish to the same worker's subscriber", run.sameWorker()));
			out.append(latencyRow("publish to the other worker's subscriber", run.otherWorker()));
			out.append(latencyRow("added by crossing workers (per message)", run.added()));
		}
		return out.toString();
	}

	private static List<Double> millis(List<Results.Start> starts) {
		return starts.stream().map(Results.Start::millis).toList();
	}

	private static String latencyRow(String name, Latencies latencies) {
		return row(name, Integer.toString(latencies.count()), millis(latencies.p50Millis()),
				millis(latencies.p99Millis()), millis(latencies.maxMillis()));
	}

	private static String millis(double millis) {
		return String.format(Locale.ROOT, "%.2f ms", millis);
	}

	private static String row(String... cells) {
		return "| " + String.join(" | ", cells) + " |\n";
	}

	static String ratio(double value, double reference) {
		return (reference > 0 && !Double.isNaN(value)) ? String.format(Locale.ROOT, "%.2f×", value / reference) : "–";
	}

	private static String seconds(double millis) {
		return String.format(Locale.ROOT, "%.1f s", millis / 1000);
	}

	private static String number(double value) {
		return String.format(Locale.ROOT, "%.0f", value);
	}

	private static String megabytes(long bytes) {
		return Math.round(bytes / MB) + " MB";
	}

}
