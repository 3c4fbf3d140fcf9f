package io.clusterboot.primary;

import java.util.Collection;
import java.util.function.Consumer;

import io.clusterboot.primary.snapshot.Snapshot;

/**
 * The application's versions, as the supervisor sees them: it asks for the version on
 * disk before a reload, and says which versions it still needs.
 */
interface Versions {

	/**
	 * Prepare the version of the application on disk now, off the supervisor loop, and
	 * report it as {@link Event.VersionPrepared} or {@link Event.VersionFailed}.
	 * @param events where to report it
	 */
	void prepare(Consumer<Event> events);

	/**
	 * Keep these versions, and let the others go.
	 * @param inUse the versions workers run, and the previous one for a rollback
	 */
	void retain(Collection<Snapshot> inUse);

}
