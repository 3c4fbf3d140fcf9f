package io.clusterboot.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.clusterboot.messaging.ClusterMessageEvent;
import io.clusterboot.messaging.ClusterMessenger;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A per-worker cache kept consistent by broadcasting evictions to every worker: the use
 * case of the cluster messenger. Each worker holds its own copy; a broadcast is
 * best-effort, so data that must be shared belongs in Redis or a database.
 */
@RestController
class CacheController {

	private final Map<String, String> cache = new ConcurrentHashMap<>();

	private final List<String> evicted = new CopyOnWriteArrayList<>();

	private final ClusterMessenger messenger;

	private final ObjectProvider<LeadWorkerReport> leadWorkerReport;

	private final int workerId;

	CacheController(ClusterMessenger messenger, ObjectProvider<LeadWorkerReport> leadWorkerReport,
			@Value("${cluster.worker.id:0}") int workerId) {
		this.messenger = messenger;
		this.leadWorkerReport = leadWorkerReport;
		this.workerId = workerId;
	}

	@PostMapping("/cache/evict")
	Map<String, Object> evict(@RequestParam String key) {
		this.messenger.broadcast("cache-evict", Map.of("key", key), true);
		return Map.of("worker", this.workerId, "broadcast", key);
	}

	@EventListener
	void onMessage(ClusterMessageEvent event) {
		if (event.getTopic().equals("cache-evict")) {
			String key = event.getPayload().get("key").asString();
			this.cache.remove(key);
			this.evicted.add(key);
		}
	}

	@GetMapping("/cache/evicted")
	Map<String, Object> evicted() {
		return Map.of("worker", this.workerId, "pid", ProcessHandle.current().pid(), "evicted", this.evicted);
	}

	@GetMapping("/lead")
	Map<String, Object> lead() {
		return Map.of("worker", this.workerId, "pid", ProcessHandle.current().pid(), "lead",
				this.leadWorkerReport.getIfAvailable() != null);
	}

}
