package io.clusterboot.worker.advice;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that {@code cluster.advice.fail-on} stopped: each finding, and what
 * to do about it.
 */
class ClusterAdviceFailureAnalyzer extends AbstractFailureAnalyzer<ClusterAdviceException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ClusterAdviceException cause) {
		String description = cause.getFindings()
			.stream()
			.map((advice) -> "- [" + advice.code() + "] " + advice.subject() + ": " + advice.message())
			.collect(Collectors.joining("\n", "The cluster-readiness report found state that splits across workers, "
					+ "and cluster.advice.fail-on names it:\n", ""));
		String action = cause.getFindings()
			.stream()
			.map((advice) -> "- [" + advice.code() + "] " + advice.remedy())
			.collect(Collectors.joining("\n", "", "\nOr remove the code from cluster.advice.fail-on to start with a "
					+ "warning instead."));
		return new FailureAnalysis(description, action, cause);
	}

}
