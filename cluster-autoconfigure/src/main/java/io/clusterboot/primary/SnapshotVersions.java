package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.primary.snapshot.SnapshotStore;

/**
 * Prepares versions of a boot jar in a {@link SnapshotStore}, on a thread of its own so
 * that unpacking never holds up the supervisor.
 */
final class SnapshotVersions implements Versions {

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
	SnapshotVersions(SnapshotStore store, Path bootJar) {
		this.store = store;
		this.bootJar = bootJar;
	}

	@Override
	public void prepare(Consumer<Event> events) {
		this.executor.execute(() -> {
			try {
				events.accept(new Event.VersionPrepared(this.store.prepare(this.bootJar)));
			}
			catch (IOException | RuntimeException ex) {
				events.accept(new Event.VersionFailed("cannot unpack " + this.bootJar + ": " + ex.getMessage()));
			}
		});
	}

	@Override
	public void retain(Collection<Snapshot> inUse) {
		List<Snapshot> kept = List.copyOf(inUse);
		this.executor.execute(() -> this.store.retainOnly(kept));
	}

}
