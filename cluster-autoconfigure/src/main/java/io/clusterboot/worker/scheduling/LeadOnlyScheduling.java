package io.clusterboot.worker.scheduling;

import java.util.function.BooleanSupplier;

import org.springframework.core.Ordered;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Makes Spring's scheduled tasks, {@code @Scheduled} methods and those that other
 * {@link SchedulingConfigurer}s register, run only in the lead worker
 * ({@code cluster.scheduling=lead}). It decorates the scheduler that the registrar
 * resolved, so that a task's own scheduler choice is kept, and it runs after every other
 * configurer, which may set that scheduler.
 */
public class LeadOnlyScheduling implements SchedulingConfigurer, Ordered {

	private final BooleanSupplier lead;

	/**
	 * Create the configurer.
	 * @param lead whether this worker is the lead now
	 */
	public LeadOnlyScheduling(BooleanSupplier lead) {
		this.lead = lead;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		TaskScheduler scheduler = registrar.getScheduler();
		if (scheduler != null && !(scheduler instanceof LeadOnlyTaskScheduler)) {
			registrar.setTaskScheduler(new LeadOnlyTaskScheduler(scheduler, this.lead));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
