package io.clusterboot.worker.scheduling;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LeadOnlySchedulingTests {

	private static final AtomicBoolean lead = new AtomicBoolean();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(SchedulingConfiguration.class)
		.withBean(LeadOnlyScheduling.class, () -> new LeadOnlyScheduling(lead::get));

	@Test
	void scheduledMethodsRunOnlyWhileThisWorkerLeads() {
		lead.set(false);
		this.runner.run((context) -> {
			Ticks ticks = context.getBean(Ticks.class);
			AtomicInteger before = new AtomicInteger();
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> ticks.runs.get() == 0);
			lead.set(true);
			await().atMost(Duration.ofSeconds(5)).until(() -> ticks.runs.get() >= 3);
			lead.set(false);
			// A run that had started may still finish; after it, none
			await().atMost(Duration.ofSeconds(2)).until(() -> {
				int now = ticks.runs.get();
				return before.getAndSet(now) == now;
			});
			int stopped = ticks.runs.get();
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
				.until(() -> ticks.runs.get() == stopped);
		});
	}

	@Test
	void aTaskStillRunsOnTheSchedulerItNames() {
		lead.set(true);
		this.runner.run((context) -> {
			Ticks ticks = context.getBean(Ticks.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> ticks.namedSchedulerThread != null);
			assertThat(ticks.namedSchedulerThread).startsWith("named-");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

		@Bean
		Ticks ticks() {
			return new Ticks();
		}

		@Bean
		ThreadPoolTaskScheduler taskScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("default-");
			return scheduler;
		}

		@Bean
		ThreadPoolTaskScheduler namedScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("named-");
			return scheduler;
		}

	}

	static class Ticks {

		final AtomicInteger runs = new AtomicInteger();

		volatile String namedSchedulerThread;

		@Scheduled(fixedRate = 20)
		void tick() {
			this.runs.incrementAndGet();
		}

		@Scheduled(fixedRate = 20, scheduler = "namedScheduler")
		void onNamedScheduler() {
			this.namedSchedulerThread = Thread.currentThread().getName();
		}

	}

}
