package io.clusterboot.worker.advice;

import java.util.List;
import java.util.stream.Collectors;

import io.clusterboot.protocol.Advice;
import io.clusterboot.protocol.WorkerContract;

import org.springframework.boot.ExitCodeGenerator;

/**
 * Thrown when the cluster-readiness report finds what {@code cluster.advice.fail-on}
 * names.
 */
public class ClusterAdviceException extends RuntimeException implements ExitCodeGenerator {

	private final transient List<Advice> findings;

	ClusterAdviceException(List<Advice> findings) {
		super("Cluster advice that cluster.advice.fail-on names: "
				+ findings.stream().map(Advice::key).collect(Collectors.joining("; ")));
		this.findings = List.copyOf(findings);
	}

	/**
	 * The worker exits with the code that tells the primary a restart would not help.
	 * @return {@link WorkerContract#CONFIGURATION_ERROR_EXIT_CODE}
	 */
	@Override
	public int getExitCode() {
		return WorkerContract.CONFIGURATION_ERROR_EXIT_CODE;
	}

	/**
	 * The findings that stopped startup.
	 * @return the findings
	 */
	public List<Advice> getFindings() {
		return this.findings;
	}

}
