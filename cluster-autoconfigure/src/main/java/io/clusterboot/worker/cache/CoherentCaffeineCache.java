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
