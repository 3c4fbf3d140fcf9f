package io.clusterboot.worker.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.SchedulingAwareRunnable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * Schedules tasks as the scheduler it decorates does, but runs each execution only while
 * this worker is the lead: every worker keeps the schedule, so that the tasks move with
 * the lead without being rescheduled.
 */
final class LeadOnlyTaskScheduler implements TaskScheduler {

	private final TaskScheduler scheduler;

	private final BooleanSupplier lead;

	LeadOnlyTaskScheduler(TaskScheduler scheduler, BooleanSupplier lead) {
		this.scheduler = scheduler;
		this.lead = lead;
	}

	@Override
	public Clock getClock() {
		return this.scheduler.getClock();
	}

	@Override
	public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
		return this.scheduler.schedule(leadOnly(task), trigger);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		return this.scheduler.schedule(leadOnly(task), startTime);
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
		return this.scheduler.scheduleAtFixedRate(leadOnly(task), startTime, period);
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		return this.scheduler.scheduleAtFixedRate(leadOnly(task), period);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
		return this.scheduler.scheduleWithFixedDelay(leadOnly(task), startTime, delay);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		return this.scheduler.scheduleWithFixedDelay(leadOnly(task), delay);
	}

	private Runnable leadOnly(Runnable task) {
		return new LeadOnlyTask(task, this.lead);
	}

	/**
	 * A task that runs only in the lead. It keeps the task's qualifier, by which Spring's
	 * scheduler router picks the scheduler a {@code @Scheduled(scheduler = ...)} names.
	 */
	private record LeadOnlyTask(Runnable task, BooleanSupplier lead) implements SchedulingAwareRunnable {

		@Override
		public void run() {
			if (this.lead.getAsBoolean()) {
				this.task.run();
			}
		}

		@Override
		public boolean isLongLived() {
			return this.task instanceof SchedulingAwareRunnable aware && aware.isLongLived();
		}

		@Override
		public @Nullable String getQualifier() {
			return (this.task instanceof SchedulingAwareRunnable aware) ? aware.getQualifier() : null;
		}

		@Override
		public String toString() {
			return this.task.toString();
		}

	}

}
