package io.clusterboot.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * An expensive lookup behind Spring's cache abstraction, with Spring Boot's default
 * local cache. Each worker fills its own cache; with cluster mode's coherent caches, an
 * eviction in one worker evicts the entry in every worker.
 */
@Service
class PriceService {

	private final AtomicLong quotes = new AtomicLong();

	/**
	 * The price of an item: each computation gives a new quote, so a cached price stays
	 * the same until it is evicted.
	 */
	@Cacheable("prices")
	String price(String item) {
		return item + "@" + ProcessHandle.current().pid() + "#" + this.quotes.incrementAndGet();
	}

	@CacheEvict("prices")
	void reprice(String item) {
	}

}
