package io.clusterboot.worker.cache;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Told of each eviction from a coherent cache, to send it to the other workers. Its
 * default methods are what every coherent cache does: evict locally, then tell.
 */
@FunctionalInterface
interface Evictions {

	/**
	 * An entry, or every entry, was evicted in this worker.
	 * @param key the key, {@code null} for all
	 */
	void evicted(@Nullable Object key);

	default void evict(Object key, Consumer<Object> local) {
		local.accept(key);
		evicted(key);
	}

	default boolean evictIfPresent(Object key, Predicate<Object> local) {
		boolean present = local.test(key);
		evicted(key);
		return present;
	}

	default void clear(Runnable local) {
		local.run();
		evicted(null);
	}

	default boolean invalidate(BooleanSupplier local) {
		boolean present = local.getAsBoolean();
		evicted(null);
		return present;
	}

}
