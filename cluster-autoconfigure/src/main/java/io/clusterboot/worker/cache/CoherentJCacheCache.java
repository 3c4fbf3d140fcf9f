package io.clusterboot.worker.cache;

import org.springframework.cache.jcache.JCacheCache;

/**
 * A {@link JCacheCache} on the JCache cache of another, which also tells its evictions.
 * It stays a {@code JCacheCache}, so that Spring Boot still binds its metrics.
 */
class CoherentJCacheCache extends JCacheCache {

	private final Evictions evictions;

	CoherentJCacheCache(JCacheCache cache, Evictions evictions) {
		super(cache.getNativeCache(), cache.isAllowNullValues());
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
