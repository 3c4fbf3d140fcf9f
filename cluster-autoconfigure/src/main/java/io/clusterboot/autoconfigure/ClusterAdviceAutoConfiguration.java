package io.clusterboot.autoconfigure;

import io.clusterboot.ClusterProperties;
import io.clusterboot.ClusterProperties.Listen;
import io.clusterboot.protocol.WorkerContract;
import io.clusterboot.worker.WorkerAgent;
import io.clusterboot.worker.advice.AdviceReport;
import io.clusterboot.worker.advice.ClusterAdvisor;
import io.clusterboot.worker.advice.InMemorySessionsAdvisor;
import io.clusterboot.worker.advice.LogFiles;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the cluster-readiness report in a worker: what splits across
 * workers, logged, listed in {@code /actuator/cluster}, and optionally fatal.
 */
@AutoConfiguration
@ConditionalOnBean(WorkerAgent.class)
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterAdviceAutoConfiguration {

	@Bean
	ClusterAdvisor clusterAdvisor(ListableBeanFactory beans, ClusterProperties properties) {
		return new ClusterAdvisor(beans, properties, new LogFiles());
	}

	@Bean
	AdviceReport clusterAdviceReport(ClusterAdvisor advisor, ClusterProperties properties, WorkerAgent agent) {
		return new AdviceReport(advisor, properties.getAdvice(), agent::reportAdvice);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = "jakarta.servlet.http.HttpSessionListener")
	static class SessionsConfiguration {

		@Bean
		InMemorySessionsAdvisor clusterInMemorySessionsAdvisor(AdviceReport report) {
			boolean sticky = WorkerContract.current().map(WorkerContract::listen).orElse(null) == Listen.STICKY;
			return new InMemorySessionsAdvisor(report, sticky);
		}

	}

}
