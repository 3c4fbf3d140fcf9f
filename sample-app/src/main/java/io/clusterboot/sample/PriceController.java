package io.clusterboot.sample;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cached prices: {@code GET} answers from the worker's cache, {@code DELETE} evicts the
 * price everywhere.
 */
@RestController
class PriceController {

	private final PriceService prices;

	private final int workerId;

	PriceController(PriceService prices, @Value("${cluster.worker.id:0}") int workerId) {
		this.prices = prices;
		this.workerId = workerId;
	}

	@GetMapping("/prices/{item}")
	Map<String, Object> price(@PathVariable String item) {
		return Map.of("worker", this.workerId, "price", this.prices.price(item));
	}

	@DeleteMapping("/prices/{item}")
	Map<String, Object> reprice(@PathVariable String item) {
		this.prices.reprice(item);
		return Map.of("worker", this.workerId, "evicted", item);
	}

}
