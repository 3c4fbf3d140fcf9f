package io.clusterboot.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.clusterboot.control.ControlMessage.MetricsReply;
import io.clusterboot.control.ControlMessage.MetricsRequest;
import io.clusterboot.control.ControlServer.WorkerConnection;

/**
 * Gathers, for the worker being scraped, the Prometheus scrapes of every other worker,
 * so that one scrape of the port shows the whole cluster. Workers that do not answer in
 * time are left out.
 */
public final class MetricsRelay {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	/**
	 * Room for the scrapes in one reply, leaving the frame limit room for JSON escaping.
	 */
	static final int REPLY_BUDGET_CHARS = ControlChannel.MAX_FRAME_BYTES / 2;

	private final ControlServer control;

	private final AtomicLong requestIds = new AtomicLong();

	private final Map<Long, CompletableFuture<List<String>>> pending = new ConcurrentHashMap<>();

	public MetricsRelay(ControlServer control) {
		this.control = control;
	}

	/**
	 * Ask every other worker for its scrape, and answer the requester once all have
	 * answered or the timeout passed.
	 * @param requester the worker being scraped
	 * @param request its request
	 */
	public void gather(WorkerConnection requester, MetricsRequest request) {
		List<CompletableFuture<List<String>>> scrapes = new ArrayList<>();
		for (WorkerConnection worker : this.control.connections()) {
			if (worker.pid() != requester.pid()) {
				long requestId = this.requestIds.incrementAndGet();
				CompletableFuture<List<String>> scrape = new CompletableFuture<List<String>>()
					.completeOnTimeout(List.of(), TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				this.pending.put(requestId, scrape);
				scrape.whenComplete((result, ex) -> this.pending.remove(requestId));
				worker.send(new MetricsRequest(requestId, request.format()));
				scrapes.add(scrape);
			}
		}
		CompletableFuture.allOf(scrapes.toArray(CompletableFuture[]::new)).thenRun(() -> {
			List<String> fitting = new ArrayList<>();
			int size = 0;
			for (CompletableFuture<List<String>> scrape : scrapes) {
				for (String text : scrape.join()) {
					if (size + text.length() <= REPLY_BUDGET_CHARS) {
						fitting.add(text);
						size += text.length();
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
	public void received(MetricsReply reply) {
		CompletableFuture<List<String>> scrape = this.pending.get(reply.requestId());
		if (scrape != null) {
			scrape.complete(reply.scrapes());
		}
	}

}
