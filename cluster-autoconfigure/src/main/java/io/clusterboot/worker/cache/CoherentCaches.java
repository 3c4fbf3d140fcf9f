package io.clusterboot.worker.cache;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.clusterboot.messaging.ClusterMessageEvent;
import io.clusterboot.messaging.ClusterMessenger;
import org.aopalliance.intercept.MethodInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.context.ApplicationListener;
import org.springframework.util.ClassUtils;

/**
 * Keeps local caches coherent across workers: an eviction or clear of a cache that lives
 * in this JVM (a {@code ConcurrentMap}, Caffeine, or JCache on Caffeine or Ehcache)
 * evicts the entry in every other worker too, relayed through the primary. Each worker
 * still fills its own cache.
 * <p>
 * Cache managers are proxied by subclass, so that they keep their types for injection,
 * and their local caches are replaced by caches of the same class on the same store, so
 * that cache metrics still bind. Best effort, like
 * {@link ClusterMessenger}: another worker applies an eviction a moment later, and a
 * worker that is starting misses it, but it starts with an empty cache anyway.
 */
public class CoherentCaches implements BeanPostProcessor, ApplicationListener<ClusterMessageEvent> {

	static final String TOPIC = "cluster.cache";

	private static final Log logger = LogFactory.getLog(CoherentCaches.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final boolean CAFFEINE_CACHE_PRESENT = ClassUtils
		.isPresent("org.springframework.cache.caffeine.CaffeineCache", CoherentCaches.class.getClassLoader());

	private static final boolean JCACHE_CACHE_PRESENT = ClassUtils
		.isPresent("org.springframework.cache.jcache.JCacheCache", CoherentCaches.class.getClassLoader())
			&& ClassUtils.isPresent("javax.cache.Cache", CoherentCaches.class.getClassLoader());

	private final ObjectProvider<ClusterMessenger> messenger;

	/** Local caches by manager bean name and cache name, unproxied. */
	private final Map<String, Map<String, Cache>> targets = new ConcurrentHashMap<>();

	/**
	 * Create the post-processor.
	 * @param messenger sends evictions to the other workers
	 */
	public CoherentCaches(ObjectProvider<ClusterMessenger> messenger) {
		this.messenger = messenger;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof CacheManager)) {
			return bean;
		}
		Map<String, Cache> caches = this.targets.computeIfAbsent(beanName, (name) -> new ConcurrentHashMap<>());
		// What each cache the manager returns is replaced with, decided once per cache:
		// getCache runs on every call of a cached method
		Map<Cache, Cache> replacements = new ConcurrentHashMap<>();
		ProxyFactory factory = new ProxyFactory(bean);
		factory.setProxyTargetClass(true);
		factory.addAdvice((MethodInterceptor) (invocation) -> {
			Object result = invocation.proceed();
			if (result instanceof Cache cache && invocation.getMethod().getName().equals("getCache")) {
				return replacements.computeIfAbsent(cache, (target) -> {
					if (!isLocal(target)) {
						return target;
					}
					caches.put(target.getName(), target);
					return coherent(beanName, target);
				});
			}
			return result;
		});
		return factory.getProxy(bean.getClass().getClassLoader());
	}

	/**
	 * The cache, telling its evictions: of the same class where it is one of Spring's
	 * local caches, so that code and metrics that look for that class still find it.
	 */
	private Cache coherent(String managerName, Cache cache) {
		Evictions evictions = (key) -> send((key != null) ? Eviction.of(managerName, cache.getName(), key)
				: Eviction.all(managerName, cache.getName()));
		if (cache.getClass() == ConcurrentMapCache.class && !((ConcurrentMapCache) cache).isStoreByValue()) {
			return new CoherentConcurrentMapCache((ConcurrentMapCache) cache, evictions);
		}
		if (CAFFEINE_CACHE_PRESENT && Caffeine.isSupported(cache)) {
			return Caffeine.coherent(cache, evictions);
		}
		if (JCACHE_CACHE_PRESENT && JCache.isSupported(cache)) {
			return JCache.coherent(cache, evictions);
		}
		return new CoherentCacheDecorator(cache, evictions);
	}

	private void send(Eviction eviction) {
		ClusterMessenger messenger = this.messenger.getIfAvailable();
		if (messenger != null) {
			messenger.broadcast(TOPIC, eviction);
		}
	}

	@Override
	public void onApplicationEvent(ClusterMessageEvent event) {
		if (!TOPIC.equals(event.getTopic())) {
			return;
		}
		try {
			Eviction eviction = event.getPayload(Eviction.class);
			Cache cache = this.targets.getOrDefault(eviction.manager(), Map.of()).get(eviction.cache());
			if (cache == null) {
				// Never used in this worker, so nothing to evict
				return;
			}
			Object key = eviction.key();
			if (key == null) {
				cache.clear();
			}
			else {
				cache.evict(key);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Dropped a cache eviction from worker " + event.getFromWorkerId() + ": " + ex.getMessage());
		}
	}

	/**
	 * Whether a cache keeps its entries in this JVM.
	 * @param cache a cache
	 * @return {@code true} for Caffeine and {@code ConcurrentMap} caches, and for JCache
	 * caches of Caffeine's or Ehcache's provider
	 */
	public static boolean isLocal(Cache cache) {
		Object store = cache.getNativeCache();
		return store instanceof ConcurrentMap || isCaffeine(store) || (JCACHE_CACHE_PRESENT && JCache.isLocal(store));
	}

	private static boolean isCaffeine(Object store) {
		String caffeine = "com.github.benmanes.caffeine.cache.Cache";
		ClassLoader loader = store.getClass().getClassLoader();
		return ClassUtils.isPresent(caffeine, loader) && ClassUtils.resolveClassName(caffeine, loader).isInstance(store);
	}

	/**
	 * Caffeine's caches, in a class of its own, which is loaded only where Spring's
	 * Caffeine support is.
	 */
	private static final class Caffeine {

		static boolean isSupported(Cache cache) {
			return cache.getClass() == CaffeineCache.class
					&& CoherentCaffeineCache.isSupported((CaffeineCache) cache);
		}

		static Cache coherent(Cache cache, Evictions evictions) {
			return new CoherentCaffeineCache((CaffeineCache) cache, evictions);
		}

	}

	/**
	 * JCache caches, in a class of its own, which is loaded only where Spring's JCache
	 * support and the JCache API are.
	 */
	private static final class JCache {

		/** Providers that keep a cache in this JVM, unlike Hazelcast's or Infinispan's. */
		private static final List<String> LOCAL_PROVIDERS = List.of("com.github.benmanes.caffeine.jcache.",
				"org.ehcache.");

		static boolean isLocal(Object store) {
			if (!(store instanceof javax.cache.Cache<?, ?> cache)) {
				return false;
			}
			String provider = cache.getCacheManager().getCachingProvider().getClass().getName();
			return LOCAL_PROVIDERS.stream().anyMatch(provider::startsWith);
		}

		static boolean isSupported(Cache cache) {
			return cache.getClass() == JCacheCache.class;
		}

		static Cache coherent(Cache cache, Evictions evictions) {
			return new CoherentJCacheCache((JCacheCache) cache, evictions);
		}

	}

	/**
	 * An eviction as it travels: the key as JSON with its type, or no key for a clear.
	 *
	 * @param manager the cache manager's bean name
	 * @param cache the cache's name
	 * @param keyType the key's class, {@code null} for a clear
	 * @param keyJson the key as JSON, {@code null} for a clear
	 */
	record Eviction(String manager, String cache, @Nullable String keyType, @Nullable JsonNode keyJson) {

		/**
		 * The eviction of one key; a key that does not read back as an equal one from JSON
		 * (a {@code SimpleKey}, for example) clears the cache in the other workers instead.
		 */
		static Eviction of(String manager, String cache, Object key) {
			try {
				JsonNode tree = json.valueToTree(key);
				if (key.equals(json.treeToValue(tree, key.getClass()))) {
					return new Eviction(manager, cache, key.getClass().getName(), tree);
				}
			}
			catch (RuntimeException ex) {
				// Not readable back: clear instead
			}
			return all(manager, cache);
		}

		static Eviction all(String manager, String cache) {
			return new Eviction(manager, cache, null, null);
		}

		@Nullable Object key() {
			if (this.keyType == null || this.keyJson == null) {
				return null;
			}
			Class<?> type = ClassUtils.resolveClassName(this.keyType, CoherentCaches.class.getClassLoader());
			return json.treeToValue(this.keyJson, type);
		}

	}

}
