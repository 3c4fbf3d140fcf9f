package io.clusterboot.sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts sample clusters for a test and kills every process they spawned after it,
 * whether it passed or not.
 */
final class SampleClusters implements AfterEachCallback {

	private final List<SampleCluster> started = new ArrayList<>();

	SampleCluster start(String... args) {
		return track(SampleCluster.start(args));
	}

	SampleCluster startWith(int port, List<String> arguments) {
		return track(SampleCluster.startWith(port, List.of(), arguments));
	}

	SampleCluster startJar(Path jar, int port, List<String> arguments) {
		return track(SampleCluster.startJar(jar, port, List.of(), arguments));
	}

	/**
	 * Start the sample jar on a free port through a launcher that execs {@code java}.
	 */
	SampleCluster startUnder(List<String> launcher, String... args) {
		int port = SampleCluster.freePort();
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port));
		arguments.addAll(List.of(args));
		return track(SampleCluster.startJar(launcher, SampleCluster.JAR, port, List.of(), arguments));
	}

	/**
	 * Start a command that runs the sample's cluster, from the jar's directory.
	 * @param command the command line, which starts {@link SampleCluster#javaCommand}
	 * @param environment variables to add
	 * @param port the port the cluster serves
	 * @return the cluster
	 */
	SampleCluster launch(List<String> command, Map<String, String> environment, int port) {
		return track(SampleCluster.launch(command, environment, SampleCluster.JAR.toAbsolutePath().getParent(), port));
	}

	private SampleCluster track(SampleCluster cluster) {
		this.started.add(cluster);
		return cluster;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.started.forEach(SampleCluster::close);
		this.started.clear();
	}

}
