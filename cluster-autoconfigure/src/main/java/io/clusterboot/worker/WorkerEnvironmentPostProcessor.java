package io.clusterboot.worker;

import java.util.Map;

import io.clusterboot.protocol.WorkerContract;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives a worker its identity, {@code cluster.worker.id}, {@code cluster.worker.count}
 * and {@code cluster.worker.generation}, and defaults that suit N copies of one
 * application: one banner is enough, and every log line names its worker.
 */
public class WorkerEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String IDENTITY_SOURCE = "clusterWorker";

	static final String DEFAULTS_SOURCE = "clusterWorkerDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		WorkerContract.current().ifPresent((worker) -> {
			environment.getPropertySources()
				.addFirst(new MapPropertySource(IDENTITY_SOURCE, Map.of("cluster.worker.id", worker.id(),
						"cluster.worker.count", worker.count(), "cluster.worker.generation", worker.generation())));
			environment.getPropertySources()
				.addLast(new MapPropertySource(DEFAULTS_SOURCE, Map.of("spring.main.banner-mode", "off",
						"logging.pattern.level", "%5p [worker-" + worker.id() + "]")));
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
