package io.clusterboot.worker.advice;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.clusterboot.ClusterProperties;
import io.clusterboot.protocol.Advice;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The cluster-readiness report of a worker: once every singleton exists, before the
 * worker serves, it finds what splits across workers, stops startup for the codes in
 * {@code cluster.advice.fail-on}, and otherwise hands the findings to the primary, which
 * lists them in {@code /actuator/cluster}. Worker 1 logs one WARN per finding, so that a
 * cluster logs each once; a finding at run time is logged by the worker that meets it.
 */
public class AdviceReport implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(AdviceReport.class);

	private final ClusterAdvisor advisor;

	private final ClusterProperties.Advice settings;

	private final int workerId;

	private final Consumer<List<Advice>> primary;

	/**
	 * Create a report.
	 * @param advisor finds the startup findings
	 * @param settings which findings to ignore, and which fail startup
	 * @param workerId this worker's id
	 * @param primary hands findings to the primary
	 */
	public AdviceReport(ClusterAdvisor advisor, ClusterProperties.Advice settings, int workerId,
			Consumer<List<Advice>> primary) {
		this.advisor = advisor;
		this.settings = settings;
		this.workerId = workerId;
		this.primary = primary;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Advice> findings = this.advisor.findings().stream().filter((advice) -> !isIgnored(advice)).toList();
		List<Advice> failures = findings.stream().filter((advice) -> isIn(this.settings.getFailOn(), advice)).toList();
		if (!failures.isEmpty()) {
			throw new ClusterAdviceException(failures);
		}
		if (this.workerId == 1) {
			findings.forEach(AdviceReport::warn);
		}
		if (!findings.isEmpty()) {
			this.primary.accept(findings);
		}
	}

	/**
	 * A finding that showed at run time, reported the first time it happens.
	 * @param advice the finding
	 */
	public void foundAtRunTime(Advice advice) {
		if (!isIgnored(advice)) {
			warn(advice);
			this.primary.accept(List.of(advice));
		}
	}

	private boolean isIgnored(Advice advice) {
		return isIn(this.settings.getIgnore(), advice);
	}

	private static boolean isIn(Set<AdviceCode> codes, Advice advice) {
		return codes.stream().anyMatch((code) -> code.code().equals(advice.code()));
	}

	private static void warn(Advice advice) {
		logger.warn("Cluster advice [" + advice.code() + "] " + advice.subject() + ": " + advice.message() + " "
				+ advice.remedy() + " (cluster.advice.ignore=" + advice.code() + " silences this)");
	}

}
