package io.clusterboot.primary;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a cluster that stopped because its workers kept failing.
 */
class CrashLoopFailureAnalyzer extends AbstractFailureAnalyzer<CrashLoopException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, CrashLoopException cause) {
		if (cause.isConfigurationError()) {
			return new FailureAnalysis(cause.getMessage() + ". The worker's own report, above, names the error.",
					"Fix the configuration that the worker's report names.", cause);
		}
		return new FailureAnalysis(cause.getMessage() + ". The worker's own log, above, shows why it failed.",
				"Fix the error that the worker logged. If workers only need longer to become stable, raise "
						+ "cluster.restart.max-restarts or lower cluster.restart.min-uptime.",
				cause);
	}

}
