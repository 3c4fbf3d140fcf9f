package io.clusterboot.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges Prometheus text scrapes (format 0.0.4 or OpenMetrics 1.0) of several workers
 * into one, as the formats require: each metric family once, with its metadata, and
 * the samples of every worker, which their {@code worker} label keeps apart.
 */
final class PrometheusTextMerger {

	private static final String EOF = "# EOF";

	private PrometheusTextMerger() {
	}

	static String merge(List<String> scrapes) {
		Map<String, Family> families = new LinkedHashMap<>();
		boolean openMetrics = false;
		for (String scrape : scrapes) {
			Set<String> described = Set.copyOf(families.keySet());
			Family family = null;
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
					family = families.computeIfAbsent(name, (key) -> new Family());
					if (!described.contains(name)) {
						family.metadata.add(line);
					}
				}
				else {
					if (family == null) {
						family = families.computeIfAbsent("", (key) -> new Family());
					}
					family.samples.add(line);
				}
			}
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
