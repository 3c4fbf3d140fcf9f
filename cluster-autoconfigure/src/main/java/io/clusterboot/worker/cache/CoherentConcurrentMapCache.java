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
		this.evictions.evict(key, super::evict);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		return this.evictions.evictIfPresent(key, super::evictIfPresent);
	}

	@Override
	public void clear() {
		this.evictions.clear(super::clear);
	}

	@Override
	public boolean invalidate() {
		return this.evictions.invalidate(super::invalidate);
	}

}
