package io.clusterboot.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is still running when the benchmark is interrupted: ended by a shutdown hook,
 * so that a Ctrl-C or a {@code kill} leaves no JVM, nginx or wrk behind.
 */
final class Cleanup {

	private static final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "bench-cleanup"));
	}

	private Cleanup() {
	}

	static void register(AutoCloseable closeable) {
		open.add(closeable);
	}

	static void closed(AutoCloseable closeable) {
		open.remove(closeable);
	}

	private static void closeAll() {
		for (AutoCloseable closeable : List.copyOf(open)) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				System.err.println("[bench] cleanup: " + ex);
			}
		}
	}

}
