package io.clusterboot.worker.cache;

import org.springframework.cache.concurrent.ConcurrentMapCache;

/**
 * A {@link ConcurrentMapCache} on the store of another, which also tells its
 * evictions. It stays a {@code ConcurrentMapCache}, for code and metrics that look for
 * one.
 */
class CoherentConcurrentMapCache extends ConcurrentMapCache {

	private final Evictions evictions;

	CoherentConcurrentMapCache(ConcurrentMapCache cache, Evictions evictions) {
		super(cache.getName(), cache.getNativeCache(), cache.isAllowNullValues());
		this.evictions = evictions;
	}

	@Override
	public void evict(Object key) {
		super.evict(key);
		this.evictions.evicted(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		boolean present = super.evictIfPresent(key);
		this.evictions.evicted(key);
		return present;
	}

	@Override
	public void clear() {
		super.clear();
		this.evictions.evicted(null);
	}

	@Override
	public boolean invalidate() {
		boolean present = super.invalidate();
		this.evictions.evicted(null);
		return present;
	}

}
