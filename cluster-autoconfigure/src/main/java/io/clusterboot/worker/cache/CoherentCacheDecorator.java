package io.clusterboot.worker.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;

/**
 * Any other local cache, decorated so that it tells its evictions.
 */
class CoherentCacheDecorator implements Cache {

	private final Cache cache;

	private final Evictions evictions;

	CoherentCacheDecorator(Cache cache, Evictions evictions) {
		this.cache = cache;
		this.evictions = evictions;
	}

	@Override
	public String getName() {
		return this.cache.getName();
	}

	@Override
	public Object getNativeCache() {
		return this.cache.getNativeCache();
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		return this.cache.get(key);
	}

	@Override
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		return this.cache.get(key, type);
	}

	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		return this.cache.get(key, valueLoader);
	}

	@Override
	public @Nullable CompletableFuture<?> retrieve(Object key) {
		return this.cache.retrieve(key);
	}

	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return this.cache.retrieve(key, valueLoader);
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		this.cache.put(key, value);
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		return this.cache.putIfAbsent(key, value);
	}

	@Override
	public void evict(Object key) {
		this.evictions.evict(key, this.cache::evict);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		return this.evictions.evictIfPresent(key, this.cache::evictIfPresent);
	}

	@Override
	public void clear() {
		this.evictions.clear(this.cache::clear);
	}

	@Override
	public boolean invalidate() {
		return this.evictions.invalidate(this.cache::invalidate);
	}

}
