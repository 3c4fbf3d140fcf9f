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
