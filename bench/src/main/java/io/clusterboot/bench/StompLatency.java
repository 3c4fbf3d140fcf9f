package io.clusterboot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.clusterboot.sample.StompClient;

/**
 * What a STOMP message gains by crossing workers. One client publishes to the sample's
 * chat room at a fixed rate; a subscriber on the publisher's worker and one on another
 * worker time each message's arrival on this JVM's clock. A message's added latency is
 * its arrival at the other worker's subscriber minus its arrival at the same worker's.
 */
final class StompLatency {

	private static final Pattern TEXT = Pattern.compile("\"text\":\"(\\d+)\"");

	private static final int MAX_CONNECT_ATTEMPTS = 40;

	private StompLatency() {
	}

	/**
	 * Publish for the warm-up and then for the measured time, and time what arrives in
	 * the measured time.
	 * @param port the cluster's port
	 * @param rate messages per second
	 * @param warmUp publishing whose latencies are not counted
	 * @param measured publishing whose latencies are counted
	 * @return the latencies
	 */
	static Results.StompRun measure(int port, int rate, Duration warmUp, Duration measured) {
		List<StompClient> clients = new ArrayList<>();
		try {
			StompClient publisher = connect(port, clients, (worker) -> true, "publisher");
			int home = publisher.worker();
			StompClient sameWorker = connect(port, clients, (worker) -> worker == home, "same");
			StompClient otherWorker = connect(port, clients, (worker) -> worker != home, "other");
			int total = (int) ((warmUp.toMillis() + measured.toMillis()) * rate / 1000);
			int counted = (int) (measured.toMillis() * rate / 1000);
			long[] sent = new long[total];
			AtomicLongArray same = arrivals(sameWorker, total);
			AtomicLongArray other = arrivals(otherWorker, total);
			// The subscriptions are in place once each client has had an answer after them
			sameWorker.worker();
			otherWorker.worker();
			long period = TimeUnit.SECONDS.toNanos(1) / rate;
			long start = System.nanoTime();
			for (int i = 0; i < total; i++) {
				long due = start + i * period;
				while (System.nanoTime() - due < 0) {
					LockSupport.parkNanos(due - System.nanoTime());
				}
				sent[i] = System.nanoTime();
				publisher.send("/app/chat", "{\"text\":\"" + i + "\"}");
			}
			long achievedRate = Math.round(total / ((System.nanoTime() - start) / 1e9));
			awaitArrivals(same, other, total);
			long[] sameLatency = new long[counted];
			long[] otherLatency = new long[counted];
			long[] added = new long[counted];
			int complete = 0;
			int lost = 0;
			for (int i = total - counted; i < total; i++) {
				if (same.get(i) == 0 || other.get(i) == 0) {
					lost++;
					continue;
				}
				sameLatency[complete] = same.get(i) - sent[i];
				otherLatency[complete] = other.get(i) - sent[i];
				added[complete] = other.get(i) - same.get(i);
				complete++;
			}
			return new Results.StompRun(rate, achievedRate, counted, lost,
					Latencies.ofNanos(Arrays.copyOf(sameLatency, complete)),
					Latencies.ofNanos(Arrays.copyOf(otherLatency, complete)),
					Latencies.ofNanos(Arrays.copyOf(added, complete)));
		}
		finally {
			clients.forEach(StompClient::close);
		}
	}

	/**
	 * Connect until a client lands on a wanted worker: the kernel decides which worker
	 * takes a connection.
	 */
	private static StompClient connect(int port, List<StompClient> clients, IntPredicate wanted, String name) {
		for (int attempt = 0; attempt < MAX_CONNECT_ATTEMPTS; attempt++) {
			StompClient client = StompClient.connect(port, name + "-" + attempt);
			clients.add(client);
			if (wanted.test(client.worker())) {
				return client;
			}
		}
		throw new IllegalStateException("No " + name + " client reached a wanted worker in " + MAX_CONNECT_ATTEMPTS
				+ " connections");
	}

	private static AtomicLongArray arrivals(StompClient subscriber, int total) {
		AtomicLongArray arrivals = new AtomicLongArray(total);
		subscriber.subscribe("/topic/chat", (body) -> {
			long now = System.nanoTime();
			Matcher text = TEXT.matcher(body);
			if (text.find()) {
				int id = Integer.parseInt(text.group(1));
				if (id < total) {
					arrivals.compareAndSet(id, 0, now);
				}
			}
		});
		return arrivals;
	}

	private static void awaitArrivals(AtomicLongArray same, AtomicLongArray other, int total) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() - deadline < 0 && (same.get(total - 1) == 0 || other.get(total - 1) == 0)) {
			Sleep.millis(50);
		}
		// Stragglers, if any, arrive within this
		Sleep.millis(500);
	}

}
