package io.clusterboot.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import io.clusterboot.ClusterProperties;
import io.clusterboot.primary.LaunchPlan;
import io.clusterboot.primary.LaunchSetup;
import io.clusterboot.primary.Primary;

import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;

/**
 * This starter's supervisor in a JVM of its own, without Spring Boot's environment: what
 * a primary would hold that, once it has read the configuration, execs a small JVM in its
 * own place to supervise. The {@code lean-primary} section starts it with the unpacked
 * application's libraries on its class path and the smallest JVM options it runs with;
 * the starter itself does not run this way.
 * <p>
 * Arguments: the application jar, the port, the number of workers and the snapshots
 * directory, as the bench's cluster gets them.
 */
public final class LeanPrimary {

	private LeanPrimary() {
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of(args[0]);
		int port = Integer.parseInt(args[1]);
		int instances = Integer.parseInt(args[2]);
		Path snapshots = Path.of(args[3]);
		// What the primary keeps of Spring Boot: its logging, as the application configures it
		LoggingSystem logging = LoggingSystem.get(LeanPrimary.class.getClassLoader());
		logging.beforeInitialize();
		logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
		ClusterProperties properties = new ClusterProperties();
		properties.setInstances(Integer.toString(instances));
		properties.getSnapshots().setDirectory(snapshots);
		String java = ProcessHandle.current().info().command().orElseThrow();
		List<String> workerCommand = List.of(java, "-jar", jar.toString(), "--server.port=" + port,
				"--cluster.instances=" + instances, "--cluster.snapshots.directory=" + snapshots);
		LaunchPlan plan = LaunchPlan.of(properties, instances, workerCommand, null, port, 100);
		Primary.run(properties, LaunchSetup.open(plan, OptionalInt.empty()));
		System.exit(0);
	}

}
