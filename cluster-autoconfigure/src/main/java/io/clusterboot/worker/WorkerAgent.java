package io.clusterboot.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import com.sun.management.OperatingSystemMXBean;
import io.clusterboot.ClusterStatus;
import io.clusterboot.WorkerState;
import io.clusterboot.control.ControlClient;
import io.clusterboot.control.ControlMessage;
import io.clusterboot.control.ControlMessage.Broadcast;
import io.clusterboot.control.ControlMessage.CommandReply;
import io.clusterboot.control.ControlMessage.Heartbeat;
import io.clusterboot.control.ControlMessage.StateChanged;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;

/**
 * A worker's link to its primary: it reports readiness and heartbeats, forwards
 * operators' commands and broadcasts, keeps the cluster's latest status, and takes the
 * worker down when the primary is gone, so that no orphan keeps serving.
 */
public class WorkerAgent implements DisposableBean {

	private static final Log logger = LogFactory.getLog(WorkerAgent.class);

	private final int workerId;

	private final ControlClient client;

	private final RequestTracker requests;

	private final ScheduledExecutorService heartbeats;

	private final OperatingSystemMXBean system = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

	private volatile boolean live = true;

	private volatile ClusterStatus lastStatus;

	/**
	 * Connect to the primary and start heartbeating.
	 * @param workerId this worker's id
	 * @param heartbeatInterval how often to report
	 * @param requests the worker's request counts
	 * @throws IOException if the primary cannot be reached
	 */
	public WorkerAgent(int workerId, Duration heartbeatInterval, RequestTracker requests) throws IOException {
		this.workerId = workerId;
		this.requests = requests;
		this.client = ControlClient.connect(workerId, this::primaryGone);
		this.heartbeats = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "cluster-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		this.heartbeats.scheduleAtFixedRate(this::heartbeat, 0, heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * This worker's id.
	 * @return the id, 1 to N
	 */
	public int getWorkerId() {
		return this.workerId;
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
	 * @return their scrapes
	 */
	public CompletableFuture<List<String>> otherWorkersMetrics(String format) {
		return this.client.otherWorkersMetrics(format);
	}

	/**
	 * Answer the primary's requests for this worker's Prometheus scrape.
	 * @param scraper gives the scrape in the named format
	 */
	public void onMetricsRequest(Function<String, String> scraper) {
		this.client.onMetricsRequest(scraper);
	}

	@EventListener
	void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
		if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
			this.client.send(new StateChanged(WorkerState.READY));
		}
	}

	@EventListener
	void onLiveness(AvailabilityChangeEvent<LivenessState> event) {
		this.live = event.getState() == LivenessState.CORRECT;
	}

	/**
	 * Heartbeats stop while the application is broken, so that the primary replaces it:
	 * when it declared itself {@link LivenessState#BROKEN}, or when threads deadlock.
	 */
	private void heartbeat() {
		if (!this.live || ManagementFactory.getThreadMXBean().findDeadlockedThreads() != null) {
			return;
		}
		double cpu = Math.max(0, this.system.getProcessCpuLoad()) * this.system.getAvailableProcessors();
		ControlMessage heartbeat = new Heartbeat(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
				this.requests.completed(), this.requests.inFlight(), cpu);
		this.client.send(heartbeat);
		clusterStatus();
	}

	private void primaryGone() {
		logger.warn("The cluster primary is gone; worker " + this.workerId + " is shutting down");
		// System.exit runs Spring's shutdown hook, which drains; it must not run on a
		// thread that the shutdown waits for
		Thread exit = new Thread(() -> System.exit(0), "cluster-orphan-exit");
		exit.start();
	}

	@Override
	public void destroy() {
		this.heartbeats.shutdownNow();
		this.client.close();
	}

}
