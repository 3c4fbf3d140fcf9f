package io.clusterboot.protocol;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.clusterboot.ClusterProperties.Listen;

/**
 * What the primary tells a worker it launches, through the worker's environment: who it
 * is, how to reach the primary, and how to serve the cluster's port. The presence of
 * these variables is what makes a JVM a worker.
 * <p>
 * The variables use the {@code CLUSTERBOOT_} prefix, outside the {@code cluster.*}
 * namespace, so that Spring's relaxed binding never reads them as configuration
 * properties.
 *
 * @param id the worker's id, 1 to N, kept by its replacements
 * @param count the number of workers when it was launched
 * @param generation 1 for the first process with this id, one more for each replacement
 * @param logSlot a number that no other living worker holds, for names of files that
 * one process must own, such as its log file
 * @param listen how workers share the port
 * @param port the port the primary bound, which differs from {@code server.port} when
 * that is 0
 * @param controlSocket the primary's control socket
 * @param controlToken the secret a worker presents first on the control socket
 */
public record WorkerContract(int id, int count, int generation, int logSlot, Listen listen, int port,
		Path controlSocket, String controlToken) {

	/**
	 * The exit code of a worker whose configuration stops it, which a restart cannot
	 * fix: {@code EX_CONFIG} of {@code sysexits.h}.
	 */
	public static final int CONFIGURATION_ERROR_EXIT_CODE = 78;

	static final String PREFIX = "CLUSTERBOOT_";

	static final String ID = PREFIX + "WORKER_ID";

	static final String COUNT = PREFIX + "WORKER_COUNT";

	static final String GENERATION = PREFIX + "WORKER_GENERATION";

	static final String LOG_SLOT = PREFIX + "LOG_SLOT";

	static final String LISTEN = PREFIX + "LISTEN";

	static final String PORT = PREFIX + "PORT";

	static final String CONTROL_SOCKET = PREFIX + "CONTROL_SOCKET";

	static final String CONTROL_TOKEN = PREFIX + "CONTROL_TOKEN";

	private static final Optional<WorkerContract> current = read(System.getenv());

	/**
	 * The contract this JVM was launched with.
	 * @return the contract, empty unless a primary launched this JVM as a worker
	 */
	public static Optional<WorkerContract> current() {
		return current;
	}

	/**
	 * Whether a primary launched this JVM as a worker.
	 * @return {@code true} in a worker
	 */
	public static boolean isWorker() {
		return current.isPresent();
	}

	/**
	 * Read a contract from an environment.
	 * @param environment the environment variables
	 * @return the contract, empty if the environment holds none
	 * @throws IllegalStateException if the environment holds an incomplete or invalid
	 * contract
	 */
	public static Optional<WorkerContract> read(Map<String, String> environment) {
		if (!environment.containsKey(ID)) {
			return Optional.empty();
		}
		try {
			return Optional.of(new WorkerContract(Integer.parseInt(required(environment, ID)),
					Integer.parseInt(required(environment, COUNT)),
					Integer.parseInt(required(environment, GENERATION)),
					Integer.parseInt(required(environment, LOG_SLOT)), Listen.valueOf(required(environment, LISTEN)),
					Integer.parseInt(required(environment, PORT)), Path.of(required(environment, CONTROL_SOCKET)),
					required(environment, CONTROL_TOKEN)));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid cluster worker environment (" + PREFIX + "*): " + ex.getMessage()
					+ "; was this JVM started by a cluster primary of the same version?", ex);
		}
	}

	private static String required(Map<String, String> environment, String name) {
		String value = environment.get(name);
		if (value == null) {
			throw new IllegalArgumentException(name + " is not set");
		}
		return value;
	}

	/**
	 * Write this contract into a worker's environment.
	 * @param environment the environment of the process to launch
	 */
	public void writeTo(Map<String, String> environment) {
		environment.put(ID, Integer.toString(this.id));
		environment.put(COUNT, Integer.toString(this.count));
		environment.put(GENERATION, Integer.toString(this.generation));
		environment.put(LOG_SLOT, Integer.toString(this.logSlot));
		environment.put(LISTEN, this.listen.name());
		environment.put(PORT, Integer.toString(this.port));
		environment.put(CONTROL_SOCKET, this.controlSocket.toString());
		environment.put(CONTROL_TOKEN, this.controlToken);
	}

	@Override
	public String toString() {
		return "WorkerContract[id=" + this.id + ", count=" + this.count + ", generation=" + this.generation
				+ ", logSlot=" + this.logSlot + ", listen=" + this.listen + ", port=" + this.port + ", controlSocket=" + this.controlSocket + "]";
	}

}
