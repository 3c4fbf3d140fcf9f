package io.clusterboot.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.sun.management.OperatingSystemMXBean;
import io.clusterboot.protocol.Advice;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlMessage.AdviceFound;
import io.clusterboot.protocol.ControlMessage.Broadcast;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.protocol.ControlMessage.Heartbeat;
import io.clusterboot.protocol.ControlMessage.StateChanged;
import io.clusterboot.protocol.WorkerContract;
import io.clusterboot.protocol.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

/**
 * A worker's link to its primary. It connects as soon as the worker's environment is
 * ready, before the application context exists, and heartbeats from then on, so that
 * the primary can tell a worker that boots slowly from one that hangs. It reports
 * readiness and draining, forwards operators' commands and broadcasts, keeps the
 * cluster's latest status, and takes the worker down when the primary is gone, so that
 * no orphan keeps serving.
 */
public class WorkerAgent implements ApplicationListener<AvailabilityChangeEvent<?>> {

	private static final Log logger = LogFactory.getLog(WorkerAgent.class);

	private static final long FAILURE_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

	private final int workerId;

	private final ControlClient client;

	private final Supplier<Heartbeat> heartbeats;

	private final ScheduledExecutorService scheduler;

	private final OperatingSystemMXBean system = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

	private volatile RequestTracker requests;

	private volatile WebSocketSessions webSockets;

	private volatile boolean live = true;

	private volatile ClusterStatus lastStatus;

	private volatile boolean lead;

	private long lastFailureLoggedNanos;

	/**
	 * Create an agent on a connected client and start heartbeating.
	 * @param workerId this worker's id
	 * @param client the connection to the primary
	 * @param heartbeatInterval how often to report
	 * @param heartbeats what to report, {@code null} to measure this JVM
	 */
	WorkerAgent(int workerId, ControlClient client, Duration heartbeatInterval, Supplier<Heartbeat> heartbeats) {
		this.workerId = workerId;
		this.client = client;
		this.heartbeats = (heartbeats != null) ? heartbeats : this::measure;
		client.onLead((lead) -> this.lead = lead);
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "cluster-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleAtFixedRate(this::heartbeat, 0, heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Connect to the primary that launched this worker and start heartbeating.
	 * @param contract what the primary told this worker
	 * @param heartbeatInterval how often to report
	 * @return the running agent
	 * @throws IOException if the primary cannot be reached
	 */
	public static WorkerAgent start(WorkerContract contract, Duration heartbeatInterval) throws IOException {
		ControlClient client = ControlClient.connect(contract, () -> primaryGone(contract.id()));
		return new WorkerAgent(contract.id(), client, heartbeatInterval, null);
	}

	/**
	 * This worker's id.
	 * @return the id, 1 to N
	 */
	public int getWorkerId() {
		return this.workerId;
	}

	/**
	 * Whether this worker is the cluster's lead now: the one worker that the primary
	 * lets run scheduled tasks with {@code cluster.scheduling=lead}. The lead moves when
	 * it is replaced or dies.
	 * @return whether this worker leads
	 */
	public boolean isLead() {
		return this.lead;
	}

	/**
	 * Report findings of the cluster-readiness report to the primary, which lists them
	 * in the cluster's status.
	 * @param advice the findings
	 */
	public void reportAdvice(List<Advice> advice) {
		this.client.send(new AdviceFound(List.copyOf(advice)));
	}

	/**
	 * Include the application's request counts in heartbeats, once its web server exists.
	 * @param requests the request counts
	 */
	public void reportRequestsFrom(RequestTracker requests) {
		this.requests = requests;
	}

	/**
	 * Include the number of open WebSocket sessions in heartbeats.
	 * @param webSockets the open sessions
	 */
	public void reportWebSocketSessionsFrom(WebSocketSessions webSockets) {
		this.webSockets = webSockets;
	}

	/**
	 * Ask the primary for the whole cluster's status.
	 * @return the status, when the primary answers
	 */
	public CompletableFuture<ClusterStatus> clusterStatus() {
		return this.client.requestStatus().thenApply((status) -> this.lastStatus = status);
	}

	/**
	 * The status the primary gave last, refreshed with every heartbeat.
	 * @return the latest status, {@code null} before the first answer
	 */
	public ClusterStatus lastStatus() {
		return this.lastStatus;
	}

	/**
	 * Ask the primary to carry out an operator's command.
	 * @param action {@code reload}, {@code scale} or {@code restart}
	 * @param instances the new count, for {@code scale}
	 * @param workerId the worker, for {@code restart}
	 * @return the primary's answer
	 */
	public CompletableFuture<CommandReply> command(String action, String instances, Integer workerId) {
		return this.client.command(action, instances, workerId);
	}

	/**
	 * Send a message to the primary for every worker.
	 * @param broadcast the message
	 */
	public void broadcast(Broadcast broadcast) {
		this.client.send(broadcast);
	}

	/**
	 * Receive what other workers broadcast.
	 * @param receiver called on the control channel's thread
	 */
	public void onBroadcast(Consumer<Broadcast> receiver) {
		this.client.onBroadcast(receiver);
	}

	/**
	 * Ask the primary for the Prometheus scrapes of every other worker.
	 * @param format the name of the Prometheus text format
	 * @param includedNames the metric names to include, {@code null} for all
	 * @return their scrapes
	 */
	public CompletableFuture<List<String>> otherWorkersMetrics(String format, Set<String> includedNames) {
		return this.client.otherWorkersMetrics(format, includedNames);
	}

	/**
	 * Answer the primary's requests for this worker's Prometheus scrape.
	 * @param scraper gives the scrape in the named format, with the included names
	 */
	public void onMetricsRequest(BiFunction<String, Set<String>, String> scraper) {
		this.client.onMetricsRequest(scraper);
	}

	/**
	 * Tell the primary that this worker stopped accepting and drains, so that it starts
	 * a replacement at once, whoever asked this worker to stop.
	 */
	public void draining() {
		this.client.send(new StateChanged(WorkerState.DRAINING));
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
			this.client.send(new StateChanged(WorkerState.READY));
		}
		else if (event.getState() instanceof LivenessState liveness) {
			this.live = liveness == LivenessState.CORRECT;
		}
	}

	/**
	 * Heartbeats stop while the application is broken, so that the primary replaces it:
	 * when it declared itself {@link LivenessState#BROKEN}, or when threads deadlock. A
	 * heartbeat that fails is logged, and the next one goes out as usual.
	 */
	private void heartbeat() {
		try {
			if (!this.live || ManagementFactory.getThreadMXBean().findDeadlockedThreads() != null) {
				return;
			}
			this.client.send(this.heartbeats.get());
			clusterStatus();
		}
		catch (RuntimeException ex) {
			long now = System.nanoTime();
			if (this.lastFailureLoggedNanos == 0 || now - this.lastFailureLoggedNanos > FAILURE_LOG_INTERVAL_NANOS) {
				this.lastFailureLoggedNanos = now;
				logger.error("Cluster heartbeat failed; the next one follows as usual", ex);
			}
		}
	}

	private Heartbeat measure() {
		RequestTracker requests = this.requests;
		WebSocketSessions webSockets = this.webSockets;
		double cpu = Math.max(0, this.system.getProcessCpuLoad()) * this.system.getAvailableProcessors();
		return new Heartbeat(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
				(requests != null) ? requests.completed() : 0, (requests != null) ? requests.inFlight() : 0, cpu,
				ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount(),
				(webSockets != null) ? webSockets.count() : 0);
	}

	private static void primaryGone(int workerId) {
		logger.warn("The cluster primary is gone; worker " + workerId + " is shutting down");
		// System.exit runs Spring's shutdown hook, which drains; it must not run on a
		// thread that the shutdown waits for
		Thread exit = new Thread(() -> System.exit(0), "cluster-orphan-exit");
		exit.start();
	}

	/**
	 * Stop heartbeating and close the channel, without taking the worker down.
	 */
	public void close() {
		this.scheduler.shutdownNow();
		this.client.close();
	}

}
