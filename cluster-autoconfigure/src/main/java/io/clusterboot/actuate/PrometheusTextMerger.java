package io.clusterboot.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges Prometheus text scrapes (format 0.0.4 or OpenMetrics 1.0) of several workers
 * into one, as the formats require: each metric family once, with its metadata, and
 * the samples of every worker, which their {@code worker} label keeps apart. Families
 * that describe the whole cluster come from one worker only.
 */
final class PrometheusTextMerger {

	private static final String EOF = "# EOF";

	private PrometheusTextMerger() {
	}

	/**
	 * Merge scrapes.
	 * @param scrapes the scrapes, the answering worker's first
	 * @param clusterWide families that describe the whole cluster, the same in every
	 * worker: taken from the first scrape only
	 * @return one scrape
	 */
	static String merge(List<String> scrapes, Set<String> clusterWide) {
		Map<String, Family> families = new LinkedHashMap<>();
		boolean openMetrics = false;
		boolean first = true;
		for (String scrape : scrapes) {
			Set<String> described = Set.copyOf(families.keySet());
			Family family = null;
			boolean skipped = false;
			for (String line : scrape.split("\n")) {
				if (line.isBlank()) {
					continue;
				}
				if (line.equals(EOF)) {
					openMetrics = true;
				}
				else if (line.startsWith("# ")) {
					String[] parts = line.split(" ", 4);
					String name = (parts.length > 2) ? parts[2] : "";
					skipped = !first && clusterWide.contains(name);
					family = families.computeIfAbsent(name, (key) -> new Family());
					if (!described.contains(name) && !skipped) {
						family.metadata.add(line);
					}
				}
				else if (!skipped) {
					if (family == null) {
						family = families.computeIfAbsent("", (key) -> new Family());
					}
					family.samples.add(line);
				}
			}
			first = false;
		}
		StringBuilder merged = new StringBuilder();
		families.values().forEach((family) -> {
			family.metadata.forEach((line) -> merged.append(line).append('\n'));
			family.samples.forEach((line) -> merged.append(line).append('\n'));
		});
		if (openMetrics) {
			merged.append(EOF).append('\n');
		}
		return merged.toString();
	}

	private static final class Family {

		private final List<String> metadata = new ArrayList<>();

		private final List<String> samples = new ArrayList<>();

	}

}
