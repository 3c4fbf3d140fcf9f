package io.clusterboot.primary.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Prepares versions of a boot jar in a {@link SnapshotStore}, on a thread of its own so
 * that unpacking never holds up the supervisor.
 */
public final class SnapshotVersions {

	private final SnapshotStore store;

	private final Path bootJar;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-snapshots");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Create the versions of a jar.
	 * @param store where versions are unpacked
	 * @param bootJar the jar the application was started from
	 */
	public SnapshotVersions(SnapshotStore store, Path bootJar) {
		this.store = store;
		this.bootJar = bootJar;
	}

	/**
	 * Prepare the version on disk now.
	 * @param prepared receives the version
	 * @param failed receives why it could not be prepared
	 */
	public void prepare(Consumer<Snapshot> prepared, Consumer<String> failed) {
		this.executor.execute(() -> {
			try {
				prepared.accept(this.store.prepare(this.bootJar));
			}
			catch (IOException | RuntimeException ex) {
				failed.accept("cannot unpack " + this.bootJar + ": " + ex.getMessage());
			}
		});
	}

	/**
	 * Keep these versions and delete the others.
	 * @param inUse the versions still needed
	 */
	public void retain(Collection<Snapshot> inUse) {
		List<Snapshot> kept = List.copyOf(inUse);
		this.executor.execute(() -> this.store.retainOnly(kept));
	}

}
