package io.clusterboot.worker;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlChannel;
import io.clusterboot.protocol.ControlChannel.MalformedMessageException;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.Broadcast;
import io.clusterboot.protocol.ControlMessage.Command;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.protocol.ControlMessage.Hello;
import io.clusterboot.protocol.ControlMessage.Lead;
import io.clusterboot.protocol.ControlMessage.MetricsReply;
import io.clusterboot.protocol.ControlMessage.MetricsRequest;
import io.clusterboot.protocol.ControlMessage.StatusReply;
import io.clusterboot.protocol.ControlMessage.StatusRequest;
import io.clusterboot.protocol.WorkerContract;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker's end of the control channel.
 */
final class ControlClient implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ControlClient.class);

	private static final long REQUEST_TIMEOUT_SECONDS = 30;

	private final ControlChannel channel;

	private final Runnable primaryGone;

	private final AtomicLong requestIds = new AtomicLong();

	private final Map<Long, CompletableFuture<ControlMessage>> pendingReplies = new ConcurrentHashMap<>();

	private volatile Consumer<Broadcast> broadcasts = (broadcast) -> {
	};

	private volatile Consumer<Boolean> leads = (lead) -> {
	};

	private volatile BiFunction<String, Set<String>, String> metrics = (format, includedNames) -> null;

	private volatile boolean closed;

	private ControlClient(ControlChannel channel, Runnable primaryGone) {
		this.channel = channel;
		this.primaryGone = primaryGone;
	}

	/**
	 * Connect to the primary that launched this worker.
	 * @param contract what the primary told this worker
	 * @param primaryGone called once if the connection ends without {@link #close()}
	 * @return the connected client
	 * @throws IOException if the primary cannot be reached
	 */
	static ControlClient connect(WorkerContract contract, Runnable primaryGone) throws IOException {
		// Encoded first (the first encoding loads Jackson): the primary closes a connection
		// that says nothing for a while
		byte[] hello = ControlChannel
			.encode(new Hello(contract.controlToken(), contract.id(), ProcessHandle.current().pid()));
		SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
		socket.connect(UnixDomainSocketAddress.of(contract.controlSocket()));
		ControlClient client = new ControlClient(new ControlChannel(socket), primaryGone);
		client.channel.write(hello);
		Thread reader = new Thread(client::receiveFromPrimary, "cluster-control");
		reader.setDaemon(true);
		reader.start();
		return client;
	}

	/**
	 * Send a message to the primary. A primary that is gone is noticed by the reader.
	 * @param message the message
	 */
	public void send(ControlMessage message) {
		try {
			this.channel.send(message);
		}
		catch (IOException ex) {
			logger.debug("Could not reach the primary: " + ex.getMessage());
		}
	}

	/**
	 * Ask the primary for the cluster's status.
	 * @return the status, when the primary answers
	 */
	public CompletableFuture<ClusterStatus> requestStatus() {
		return request(StatusRequest::new).thenApply((reply) -> ((StatusReply) reply).status());
	}

	/**
	 * Ask the primary to carry out an operator's command.
	 * @param action {@code reload}, {@code scale} or {@code restart}
	 * @param instances the new count, for {@code scale}
	 * @param workerId the worker, for {@code restart}
	 * @return the primary's answer
	 */
	public CompletableFuture<CommandReply> command(String action, String instances, Integer workerId) {
		return request((requestId) -> new Command(requestId, action, instances, workerId))
			.thenApply(CommandReply.class::cast);
	}

	/**
	 * Receive the messages that other workers broadcast.
	 * @param receiver called on the control channel's thread
	 */
	public void onBroadcast(Consumer<Broadcast> receiver) {
		this.broadcasts = receiver;
	}

	/**
	 * Learn whether this worker is the lead, each time the primary changes it.
	 * @param receiver called on the control channel's thread
	 */
	public void onLead(Consumer<Boolean> receiver) {
		this.leads = receiver;
	}

	/**
	 * Ask the primary for the Prometheus scrapes of every other worker.
	 * @param format the name of the Prometheus text format
	 * @param includedNames the metric names to include, {@code null} for all
	 * @return the scrapes of the workers that answered in time
	 */
	public CompletableFuture<List<String>> otherWorkersMetrics(String format, Set<String> includedNames) {
		return request((requestId) -> new MetricsRequest(requestId, format, includedNames))
			.thenApply((reply) -> ((MetricsReply) reply).scrapes());
	}

	/**
	 * Answer the primary's requests for this worker's Prometheus scrape.
	 * @param scraper gives the scrape in the named format, or {@code null}
	 */
	public void onMetricsRequest(BiFunction<String, Set<String>, String> scraper) {
		this.metrics = scraper;
	}

	private CompletableFuture<ControlMessage> request(LongFunction<ControlMessage> message) {
		long requestId = this.requestIds.incrementAndGet();
		// A frozen primary must not make unanswered requests pile up
		CompletableFuture<ControlMessage> reply = new CompletableFuture<ControlMessage>()
			.orTimeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		this.pendingReplies.put(requestId, reply);
		reply.whenComplete((answer, ex) -> this.pendingReplies.remove(requestId));
		send(message.apply(requestId));
		return reply;
	}

	private void receiveFromPrimary() {
		try {
			while (true) {
				try {
					dispatch(this.channel.receive());
				}
				catch (MalformedMessageException ex) {
					logger.warn("Dropped a message from the primary: " + ex.getMessage());
				}
				catch (RuntimeException ex) {
					// Listeners run application code; the channel must outlive their failures
					logger.error("Failed to handle a message from the primary", ex);
				}
			}
		}
		catch (EOFException ex) {
			// The primary exited
		}
		catch (IOException ex) {
			if (!this.closed) {
				logger.warn("Control channel failed: " + ex);
			}
		}
		this.pendingReplies.values()
			.forEach((pending) -> pending.completeExceptionally(new EOFException("Primary gone")));
		if (!this.closed) {
			this.primaryGone.run();
		}
	}

	private void dispatch(ControlMessage message) {
		if (message instanceof StatusReply reply) {
			completeRequest(reply.requestId(), reply);
		}
		else if (message instanceof CommandReply reply) {
			completeRequest(reply.requestId(), reply);
		}
		else if (message instanceof MetricsReply reply) {
			completeRequest(reply.requestId(), reply);
		}
		else if (message instanceof Broadcast broadcast) {
			this.broadcasts.accept(broadcast);
		}
		else if (message instanceof Lead lead) {
			this.leads.accept(lead.lead());
		}
		else if (message instanceof MetricsRequest request) {
			String scrape = this.metrics.apply(request.format(), request.includedNames());
			boolean fits = scrape != null && ControlChannel.encodedBytes(scrape) <= ControlChannel.TEXT_BUDGET_BYTES;
			send(new MetricsReply(request.requestId(), fits ? List.of(scrape) : List.of()));
		}
	}

	private void completeRequest(long requestId, ControlMessage reply) {
		CompletableFuture<ControlMessage> pending = this.pendingReplies.get(requestId);
		if (pending != null) {
			pending.complete(reply);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.channel.close();
	}

}
