package io.clusterboot.primary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.clusterboot.protocol.ControlChannel;
import io.clusterboot.protocol.ControlMessage.MetricsReply;
import io.clusterboot.protocol.ControlMessage.MetricsRequest;

/**
 * Gathers, for the worker being scraped, the Prometheus scrapes of every other worker,
 * so that one scrape of the port shows the whole cluster: one process per worker id,
 * the one that serves it, so that a rollout's old and new process never report the
 * same series twice. Workers that do not answer in time are left out.
 */
final class MetricsRelay {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private final Supplier<List<WorkerLink>> servingWorkers;

	private final AtomicLong requestIds = new AtomicLong();

	private final Map<Long, CompletableFuture<List<String>>> pending = new ConcurrentHashMap<>();

	MetricsRelay(Supplier<List<WorkerLink>> servingWorkers) {
		this.servingWorkers = servingWorkers;
	}

	/**
	 * Ask every other worker for its scrape, and answer the requester once all have
	 * answered or the timeout passed.
	 * @param requester the worker being scraped
	 * @param request its request
	 */
	void gather(WorkerLink requester, MetricsRequest request) {
		List<CompletableFuture<List<String>>> scrapes = new ArrayList<>();
		for (WorkerLink worker : this.servingWorkers.get()) {
			if (worker.workerId() != requester.workerId()) {
				long requestId = this.requestIds.incrementAndGet();
				CompletableFuture<List<String>> scrape = new CompletableFuture<List<String>>()
					.completeOnTimeout(List.of(), TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				this.pending.put(requestId, scrape);
				scrape.whenComplete((result, ex) -> this.pending.remove(requestId));
				worker.send(new MetricsRequest(requestId, request.format(), request.includedNames()));
				scrapes.add(scrape);
			}
		}
		CompletableFuture.allOf(scrapes.toArray(CompletableFuture[]::new)).thenRun(() -> {
			List<String> fitting = new ArrayList<>();
			long size = 0;
			for (CompletableFuture<List<String>> scrape : scrapes) {
				for (String text : scrape.join()) {
					long bytes = ControlChannel.encodedBytes(text);
					if (size + bytes <= ControlChannel.TEXT_BUDGET_BYTES) {
						fitting.add(text);
						size += bytes;
					}
				}
			}
			requester.send(new MetricsReply(request.requestId(), fitting));
		});
	}

	/**
	 * A worker answered a request of {@link #gather}.
	 * @param reply its scrape
	 */
	void received(MetricsReply reply) {
		CompletableFuture<List<String>> scrape = this.pending.get(reply.requestId());
		if (scrape != null) {
			scrape.complete(reply.scrapes());
		}
	}

}
