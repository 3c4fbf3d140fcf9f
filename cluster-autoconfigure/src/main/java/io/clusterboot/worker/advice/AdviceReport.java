package io.clusterboot.worker.advice;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.clusterboot.ClusterProperties;
import io.clusterboot.protocol.Advice;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The cluster-readiness report of a worker: once every singleton exists, before the
 * worker serves, it finds what splits across workers, stops startup for the codes in
 * {@code cluster.advice.fail-on}, and otherwise hands the findings to the primary, which
 * logs each once for the whole cluster and lists them in {@code /actuator/cluster}.
 * Findings that show at run time go the same way.
 */
public class AdviceReport implements SmartInitializingSingleton {

	private final ClusterAdvisor advisor;

	private final ClusterProperties.Advice settings;

	private final Consumer<List<Advice>> primary;

	/**
	 * Create a report.
	 * @param advisor finds the startup findings
	 * @param settings which findings to ignore, and which fail startup
	 * @param primary hands findings to the primary
	 */
	public AdviceReport(ClusterAdvisor advisor, ClusterProperties.Advice settings, Consumer<List<Advice>> primary) {
		this.advisor = advisor;
		this.settings = settings;
		this.primary = primary;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Advice> findings = this.advisor.findings().stream().filter((advice) -> !isIgnored(advice)).toList();
		List<Advice> failures = findings.stream().filter((advice) -> isIn(this.settings.getFailOn(), advice)).toList();
		if (!failures.isEmpty()) {
			throw new ClusterAdviceException(failures);
		}
		if (!findings.isEmpty()) {
			this.primary.accept(findings);
		}
	}

	/**
	 * A finding that showed at run time, reported the first time it happens in this
	 * worker.
	 * @param advice the finding
	 */
	public void foundAtRunTime(Advice advice) {
		if (!isIgnored(advice)) {
			this.primary.accept(List.of(advice));
		}
	}

	private boolean isIgnored(Advice advice) {
		return isIn(this.settings.getIgnore(), advice);
	}

	private static boolean isIn(Set<AdviceCode> codes, Advice advice) {
		return codes.stream().anyMatch((code) -> code.code().equals(advice.code()));
	}

}
