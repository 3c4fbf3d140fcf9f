package io.clusterboot.worker.cache;

import org.springframework.cache.caffeine.CaffeineCache;

/**
 * A {@link CaffeineCache} on the Caffeine cache of another, which also tells its
 * evictions. It stays a {@code CaffeineCache}, so that Spring Boot still binds its
 * metrics.
 */
class CoherentCaffeineCache extends CaffeineCache {

	private final Evictions evictions;

	CoherentCaffeineCache(CaffeineCache cache, Evictions evictions) {
		super(cache.getName(), cache.getNativeCache(), cache.isAllowNullValues());
		this.evictions = evictions;
	}

	/**
	 * Whether a cache can be made coherent this way: a synchronous one, since the
	 * asynchronous mode has its own store.
	 * @param cache a Caffeine cache
	 * @return whether it is synchronous
	 */
	static boolean isSupported(CaffeineCache cache) {
		try {
			cache.getAsyncCache();
			return false;
		}
		catch (IllegalStateException ex) {
			return true;
		}
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
