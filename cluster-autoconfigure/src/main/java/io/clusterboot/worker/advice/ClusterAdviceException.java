package io.clusterboot.worker.advice;

import java.util.List;
import java.util.stream.Collectors;

import io.clusterboot.protocol.Advice;

/**
 * Thrown when the cluster-readiness report finds what {@code cluster.advice.fail-on}
 * names.
 */
public class ClusterAdviceException extends RuntimeException {

	private final transient List<Advice> findings;

	ClusterAdviceException(List<Advice> findings) {
		super("Cluster advice that cluster.advice.fail-on names: "
				+ findings.stream().map(Advice::key).collect(Collectors.joining("; ")));
		this.findings = List.copyOf(findings);
	}

	/**
	 * The findings that stopped startup.
	 * @return the findings
	 */
	public List<Advice> getFindings() {
		return this.findings;
	}

}
