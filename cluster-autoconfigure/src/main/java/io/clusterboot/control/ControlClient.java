package io.clusterboot.control;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

import io.clusterboot.ClusterStatus;
import io.clusterboot.control.ControlChannel.MalformedMessageException;
import io.clusterboot.control.ControlMessage.Broadcast;
import io.clusterboot.control.ControlMessage.Command;
import io.clusterboot.control.ControlMessage.CommandReply;
import io.clusterboot.control.ControlMessage.Hello;
import io.clusterboot.control.ControlMessage.MetricsReply;
import io.clusterboot.control.ControlMessage.MetricsRequest;
import io.clusterboot.control.ControlMessage.StatusReply;
import io.clusterboot.control.ControlMessage.StatusRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker's end of the control channel.
 */
public final class ControlClient implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ControlClient.class);

	private final ControlChannel channel;

	private final Runnable primaryGone;

	private final AtomicLong requestIds = new AtomicLong();

	private final Map<Long, CompletableFuture<ControlMessage>> pendingReplies = new ConcurrentHashMap<>();

	private volatile Consumer<Broadcast> broadcasts = (broadcast) -> {
	};

	private volatile Function<String, String> metrics = (format) -> null;

	private volatile boolean closed;

	private ControlClient(ControlChannel channel, Runnable primaryGone) {
		this.channel = channel;
		this.primaryGone = primaryGone;
	}

	/**
	 * Connect to the primary named in this process's environment.
	 * @param workerId this worker's id
	 * @param primaryGone called once if the connection ends without {@link #close()}
	 * @return the connected client
	 * @throws IOException if the primary cannot be reached
	 */
	public static ControlClient connect(int workerId, Runnable primaryGone) throws IOException {
		String path = System.getenv(ControlServer.SOCKET_VARIABLE);
		if (path == null) {
			throw new IOException(ControlServer.SOCKET_VARIABLE + " is not set");
		}
		SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
		socket.connect(UnixDomainSocketAddress.of(path));
		ControlClient client = new ControlClient(new ControlChannel(socket), primaryGone);
		client.channel.send(new Hello(System.getenv(ControlServer.TOKEN_VARIABLE), workerId,
				ProcessHandle.current().pid()));
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
	 * Ask the primary for the Prometheus scrapes of every other worker.
	 * @param format the name of the Prometheus text format
	 * @return the scrapes of the workers that answered in time
	 */
	public CompletableFuture<List<String>> otherWorkersMetrics(String format) {
		return request((requestId) -> new MetricsRequest(requestId, format))
			.thenApply((reply) -> ((MetricsReply) reply).scrapes());
	}

	/**
	 * Answer the primary's requests for this worker's Prometheus scrape.
	 * @param scraper gives the scrape in the named format, or {@code null}
	 */
	public void onMetricsRequest(Function<String, String> scraper) {
		this.metrics = scraper;
	}

	private CompletableFuture<ControlMessage> request(LongFunction<ControlMessage> message) {
		long requestId = this.requestIds.incrementAndGet();
		CompletableFuture<ControlMessage> reply = new CompletableFuture<>();
		this.pendingReplies.put(requestId, reply);
		reply.whenComplete((answer, ex) -> this.pendingReplies.remove(requestId));
		send(message.apply(requestId));
		return reply;
	}

	private void receiveFromPrimary() {
		try {
			while (true) {
				try {
					ControlMessage message = this.channel.receive();
					if (message instanceof StatusReply reply) {
						completeRequest(reply.requestId(), reply);
					}
					else if (message instanceof CommandReply reply) {
						completeRequest(reply.requestId(), reply);
					}
					else if (message instanceof Broadcast broadcast) {
						this.broadcasts.accept(broadcast);
					}
					else if (message instanceof MetricsReply reply) {
						completeRequest(reply.requestId(), reply);
					}
					else if (message instanceof MetricsRequest request) {
						String scrape = this.metrics.apply(request.format());
						boolean fits = scrape != null && scrape.length() <= MetricsRelay.REPLY_BUDGET_CHARS;
						send(new MetricsReply(request.requestId(), fits ? List.of(scrape) : List.of()));
					}
				}
				catch (MalformedMessageException ex) {
					logger.warn("Dropped a message from the primary: " + ex.getMessage());
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
