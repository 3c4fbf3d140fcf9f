package io.clusterboot.worker;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches in worker 1 and in a single JVM.
 */
class OnLeadWorkerCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Integer workerId = context.getEnvironment().getProperty("cluster.worker.id", Integer.class);
		if (workerId == null) {
			return ConditionOutcome.match("not a cluster worker");
		}
		return (workerId == 1) ? ConditionOutcome.match("cluster.worker.id is 1")
				: ConditionOutcome.noMatch("cluster.worker.id is " + workerId + ", not 1");
	}

}
