package io.clusterboot.worker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.clusterboot.protocol.WorkerContract;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Gives a worker its identity, {@code cluster.worker.id}, {@code cluster.worker.count}
 * and {@code cluster.worker.generation}, its own log file, and defaults that suit N
 * copies of one application: one banner is enough, and every log line names its worker.
 * <p>
 * The log file is the one {@code logging.file.name} or {@code logging.file.path} names,
 * with the worker's log slot appended ({@code app.log} becomes {@code app-2.log}), so
 * that no two processes ever write or rotate one file: the primary writes the file
 * itself, and no two living workers hold one slot.
 */
public class WorkerEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String IDENTITY_SOURCE = "clusterWorker";

	static final String DEFAULTS_SOURCE = "clusterWorkerDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		WorkerContract.current().ifPresent((worker) -> postProcessEnvironment(environment, worker));
	}

	void postProcessEnvironment(ConfigurableEnvironment environment, WorkerContract worker) {
		Map<String, Object> identity = new HashMap<>(Map.of("cluster.worker.id", worker.id(), "cluster.worker.count",
				worker.count(), "cluster.worker.generation", worker.generation()));
		String logFile = logFileOf(environment, worker.logSlot());
		if (logFile != null) {
			identity.put("logging.file.name", logFile);
		}
		environment.getPropertySources().addFirst(new MapPropertySource(IDENTITY_SOURCE, identity));
		environment.getPropertySources()
			.addLast(new MapPropertySource(DEFAULTS_SOURCE, Map.of("spring.main.banner-mode", "off",
					"logging.pattern.level", "%5p [worker-" + worker.id() + "]")));
	}

	/**
	 * The worker's own log file, as Spring Boot's {@code LogFile} would name the shared
	 * one, with the slot before the extension.
	 */
	private static String logFileOf(ConfigurableEnvironment environment, int slot) {
		String name = environment.getProperty("logging.file.name");
		if (!StringUtils.hasLength(name)) {
			String directory = environment.getProperty("logging.file.path");
			if (!StringUtils.hasLength(directory)) {
				return null;
			}
			name = Path.of(directory, "spring.log").toString();
		}
		int dot = name.lastIndexOf('.');
		boolean hasExtension = dot > name.lastIndexOf('/') + 1;
		return hasExtension ? name.substring(0, dot) + "-" + slot + name.substring(dot) : name + "-" + slot;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
