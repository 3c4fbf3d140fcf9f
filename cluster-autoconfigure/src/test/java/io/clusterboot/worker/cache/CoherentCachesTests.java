package io.clusterboot.worker.cache;

import java.util.ArrayList;
import java.util.List;

import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

import io.clusterboot.messaging.ClusterMessageEvent;
import com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider;
import io.clusterboot.messaging.ClusterMessenger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.support.NoOpCacheManager;

import static org.assertj.core.api.Assertions.assertThat;

class CoherentCachesTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final SentMessages sent = new SentMessages();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withBean(ClusterMessenger.class, () -> this.sent)
		.withBean(CoherentCaches.class)
		.withBean("cacheManager", ConcurrentMapCacheManager.class, () -> new ConcurrentMapCacheManager("prices"));

	@Test
	void anEvictionOrClearReachesTheOtherWorkers() {
		this.runner.run((context) -> {
			Cache prices = context.getBean(ConcurrentMapCacheManager.class).getCache("prices");
			prices.put("apple", 3);
			assertThat(this.sent.payloads).isEmpty();
			prices.evict("apple");
			prices.evictIfPresent(42L);
			prices.clear();
			prices.invalidate();
			assertThat(this.sent.payloads).extracting(JsonNode::toString)
				.containsExactly(
						"{\"manager\":\"cacheManager\",\"cache\":\"prices\",\"keyType\":\"java.lang.String\",\"keyJson\":\"apple\"}",
						"{\"manager\":\"cacheManager\",\"cache\":\"prices\",\"keyType\":\"java.lang.Long\",\"keyJson\":42}",
						"{\"manager\":\"cacheManager\",\"cache\":\"prices\",\"keyType\":null,\"keyJson\":null}",
						"{\"manager\":\"cacheManager\",\"cache\":\"prices\",\"keyType\":null,\"keyJson\":null}");
		});
	}

	@Test
	void aKeyThatDoesNotTravelClearsTheCacheElsewhere() {
		this.runner.run((context) -> {
			Cache prices = context.getBean(ConcurrentMapCacheManager.class).getCache("prices");
			prices.evict(new SimpleKey("apple", 2));
			assertThat(this.sent.payloads).singleElement().satisfies((payload) -> assertThat(payload.get("keyType").isNull()).isTrue());
		});
	}

	@Test
	void anEvictionFromAnotherWorkerEvictsHereWithoutGoingOut() {
		this.runner.run((context) -> {
			Cache prices = context.getBean(ConcurrentMapCacheManager.class).getCache("prices");
			prices.put("apple", 3);
			prices.put(7, "seven");
			prices.put("pear", 4);
			context.publishEvent(received(CoherentCaches.Eviction.of("cacheManager", "prices", "apple")));
			context.publishEvent(received(CoherentCaches.Eviction.of("cacheManager", "prices", 7)));
			assertThat(prices.get("apple")).isNull();
			assertThat(prices.get(7)).isNull();
			assertThat(prices.get("pear").get()).isEqualTo(4);
			context.publishEvent(received(CoherentCaches.Eviction.all("cacheManager", "prices")));
			assertThat(prices.get("pear")).isNull();
			assertThat(this.sent.payloads).isEmpty();
		});
	}

	@Test
	void aMalformedEvictionIsDropped() {
		this.runner.run((context) -> {
			Cache prices = context.getBean(ConcurrentMapCacheManager.class).getCache("prices");
			prices.put("apple", 3);
			context.publishEvent(new ClusterMessageEvent(this, CoherentCaches.TOPIC,
					json.readTree("{\"manager\":\"cacheManager\",\"cache\":\"prices\",\"keyType\":\"no.such.Type\",\"keyJson\":1}"), 2));
			assertThat(prices.get("apple").get()).isEqualTo(3);
		});
	}

	@Test
	void cacheManagersAndCachesKeepTheirTypes() {
		this.runner.run((context) -> {
			ConcurrentMapCacheManager manager = context.getBean(ConcurrentMapCacheManager.class);
			Cache prices = manager.getCache("prices");
			assertThat(prices).isInstanceOf(ConcurrentMapCache.class).isSameAs(manager.getCache("prices"));
			assertThat(prices.getName()).isEqualTo("prices");
			assertThat(prices.getNativeCache()).isNotNull();
		});
	}

	@Test
	void caffeineCachesStayCaffeineCachesOnTheSameStore() {
		new ApplicationContextRunner().withBean(ClusterMessenger.class, () -> this.sent)
			.withBean(CoherentCaches.class)
			.withBean("caffeine", CaffeineCacheManager.class, () -> new CaffeineCacheManager("prices"))
			.run((context) -> {
				CaffeineCacheManager manager = context.getBean(CaffeineCacheManager.class);
				Cache prices = manager.getCache("prices");
				assertThat(prices).isInstanceOf(CaffeineCache.class);
				assertThat(prices.getName()).isEqualTo("prices");
				prices.put("apple", 3);
				assertThat(((CaffeineCache) prices).getNativeCache().getIfPresent("apple")).isEqualTo(3);
				prices.evict("apple");
				assertThat(this.sent.payloads).singleElement()
					.satisfies((payload) -> assertThat(payload.get("manager").asString()).isEqualTo("caffeine"));
				prices.put("pear", 4);
				context.publishEvent(received(CoherentCaches.Eviction.of("caffeine", "prices", "pear")));
				assertThat(prices.get("pear")).isNull();
			});
	}

	@Test
	void jcacheCachesOfALocalProviderStayJCacheCaches() {
		CachingProvider provider = Caching.getCachingProvider(CaffeineCachingProvider.class.getName());
		javax.cache.CacheManager jcache = provider.getCacheManager();
		try {
			jcache.createCache("vets", new MutableConfiguration<>());
			new ApplicationContextRunner().withBean(ClusterMessenger.class, () -> this.sent)
				.withBean(CoherentCaches.class)
				.withBean("jcacheManager", JCacheCacheManager.class, () -> new JCacheCacheManager(jcache))
				.run((context) -> {
					Cache vets = context.getBean(JCacheCacheManager.class).getCache("vets");
					assertThat(vets).isInstanceOf(JCacheCache.class);
					assertThat(vets.getName()).isEqualTo("vets");
					vets.put("all", 6);
					vets.clear();
					assertThat(this.sent.payloads).singleElement()
						.satisfies((payload) -> assertThat(payload.get("cache").asString()).isEqualTo("vets"));
					vets.put("all", 6);
					context.publishEvent(received(CoherentCaches.Eviction.of("jcacheManager", "vets", "all")));
					assertThat(vets.get("all")).isNull();
				});
		}
		finally {
			jcache.close();
		}
	}

	@Test
	void cachesThatAreNotLocalAreLeftAlone() {
		new ApplicationContextRunner().withBean(ClusterMessenger.class, () -> this.sent)
			.withBean(CoherentCaches.class)
			.withBean(NoOpCacheManager.class)
			.run((context) -> {
				context.getBean(NoOpCacheManager.class).getCache("prices").evict("apple");
				assertThat(this.sent.payloads).isEmpty();
			});
	}

	private ClusterMessageEvent received(CoherentCaches.Eviction eviction) {
		return new ClusterMessageEvent(this, CoherentCaches.TOPIC, json.valueToTree(eviction), 2);
	}

	static class SentMessages extends ClusterMessenger {

		final List<JsonNode> payloads = new ArrayList<>();

		SentMessages() {
			super(null, (event) -> {
			});
		}

		@Override
		public void broadcast(String topic, Object payload, boolean includeSelf) {
			assertThat(topic).isEqualTo(CoherentCaches.TOPIC);
			this.payloads.add(json.valueToTree(payload));
		}

	}

}
