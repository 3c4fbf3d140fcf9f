package io.clusterboot.worker.cache;

import org.jspecify.annotations.Nullable;

/**
 * Told of each eviction from a coherent cache, to send it to the other workers.
 */
@FunctionalInterface
interface Evictions {

	/**
	 * An entry, or every entry, was evicted in this worker.
	 * @param key the key, {@code null} for all
	 */
	void evicted(@Nullable Object key);

}
