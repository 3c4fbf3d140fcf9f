package io.clusterboot.sample;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load of GET requests from several clients, bounded in count and time, that counts
 * every failure. Clients speak HTTP/1.1 on plain sockets, because the JDK's clients
 * silently retry a request whose connection was closed, which would hide exactly the
 * failures this load is meant to find.
 */
final class HttpLoad implements AutoCloseable {

	private static final long MAX_REQUESTS_PER_CLIENT = 200_000;

	private final List<Thread> clients = new ArrayList<>();

	private final AtomicLong succeeded = new AtomicLong();

	private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	private final Map<InetAddress, Set<Integer>> workersBySource = new ConcurrentHashMap<>();

	private final long deadlineNanos;

	private volatile boolean stopped;

	private HttpLoad(Duration maxDuration) {
		this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
	}

	/**
	 * Start the load.
	 * @param port the port on 127.0.0.1
	 * @param path the path to GET
	 * @param keepAliveClients clients that reuse their connection
	 * @param closeClients clients that send {@code Connection: close}
	 * @param maxDuration when the load stops by itself
	 * @return the running load
	 */
	static HttpLoad start(int port, String path, int keepAliveClients, int closeClients, Duration maxDuration) {
		return start(port, path, keepAliveClients, closeClients, maxDuration, List.of());
	}

	/**
	 * Start the load from several client addresses, recording which workers answered
	 * each address: the path must answer JSON with the sample's {@code worker} field.
	 * @param port the port on 127.0.0.1
	 * @param path the path to GET
	 * @param keepAliveClients clients that reuse their connection
	 * @param closeClients clients that send {@code Connection: close}
	 * @param maxDuration when the load stops by itself
	 * @param sources the addresses clients connect from, in turn; empty for the default
	 * @return the running load
	 */
	static HttpLoad start(int port, String path, int keepAliveClients, int closeClients, Duration maxDuration,
			List<InetAddress> sources) {
		HttpLoad load = new HttpLoad(maxDuration);
		for (int i = 0; i < keepAliveClients + closeClients; i++) {
			boolean close = i >= keepAliveClients;
			InetAddress source = sources.isEmpty() ? null : sources.get(i % sources.size());
			Thread client = new Thread(() -> load.run(port, path, close, source), "load-" + i);
			client.setDaemon(true);
			load.clients.add(client);
			client.start();
		}
		return load;
	}

	private void run(int port, String path, boolean close, InetAddress source) {
		Connection connection = new Connection(port, source);
		try {
			for (long i = 0; i < MAX_REQUESTS_PER_CLIENT && !this.stopped
					&& System.nanoTime() - this.deadlineNanos < 0; i++) {
				try {
					int status = connection.get(path, close);
					if (status == 200) {
						this.succeeded.incrementAndGet();
						if (source != null) {
							this.workersBySource.computeIfAbsent(source, (key) -> ConcurrentHashMap.newKeySet())
								.add(connection.workerId());
						}
					}
					else {
						this.failures.add("HTTP " + status);
					}
				}
				catch (IOException ex) {
					this.failures.add((close ? "close: " : "keep-alive: ") + ex);
					connection.close();
				}
			}
		}
		finally {
			connection.close();
		}
	}

	long succeeded() {
		return this.succeeded.get();
	}

	List<String> failures() {
		return List.copyOf(this.failures);
	}

	/**
	 * The ids of the workers that answered each client address.
	 * @return the worker ids by client address
	 */
	Map<InetAddress, Set<Integer>> workersBySource() {
		return Map.copyOf(this.workersBySource);
	}

	/**
	 * Stop every client and wait for them.
	 * @return this load
	 */
	HttpLoad stop() {
		this.stopped = true;
		for (Thread client : this.clients) {
			try {
				client.join(Duration.ofSeconds(30).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return this;
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * One client connection, reopened whenever the server asks to close it.
	 */
	private static final class Connection {

		private static final Pattern WORKER = Pattern.compile("\"worker\":(\\d+)");

		private final int port;

		private final InetAddress source;

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private Socket socket;

		private InputStream input;

		private OutputStream output;

		Connection(int port, InetAddress source) {
			this.port = port;
			this.source = source;
		}

		/**
		 * The worker that answered the last request, as its body says.
		 */
		int workerId() {
			Matcher worker = WORKER.matcher(this.body.toString(StandardCharsets.UTF_8));
			return worker.find() ? Integer.parseInt(worker.group(1)) : 0;
		}

		int get(String path, boolean close) throws IOException {
			if (this.socket == null) {
				this.socket = new Socket();
				if (this.source != null) {
					this.socket.bind(new InetSocketAddress(this.source, 0));
				}
				this.socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
				this.socket.setSoTimeout(60_000);
				this.input = new BufferedInputStream(this.socket.getInputStream());
				this.output = this.socket.getOutputStream();
			}
			this.output.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					+ (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
			this.output.flush();
			String statusLine = readLine();
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			long contentLength = -1;
			boolean chunked = false;
			boolean serverCloses = false;
			this.body.reset();
			for (String header = readLine(); !header.isEmpty(); header = readLine()) {
				String lower = header.toLowerCase(Locale.ROOT);
				if (lower.startsWith("content-length:")) {
					contentLength = Long.parseLong(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
				else if (lower.startsWith("connection:") && lower.contains("close")) {
					serverCloses = true;
				}
			}
			if (chunked) {
				for (long size = chunkSize(); size > 0; size = chunkSize()) {
					skip(size);
					readLine();
				}
				readLine();
			}
			else if (contentLength >= 0) {
				skip(contentLength);
			}
			else if (status >= 200 && status != 204 && status != 304) {
				throw new IOException("HTTP " + status + " with a body delimited by the close alone (no "
						+ "Content-Length, not chunked): a client cannot tell it from a truncated one");
			}
			if (close || serverCloses) {
				close();
			}
			return status;
		}

		private long chunkSize() throws IOException {
			return Long.parseLong(readLine().split(";")[0].trim(), 16);
		}

		private void skip(long bytes) throws IOException {
			for (long i = 0; i < bytes; i++) {
				int next = this.input.read();
				if (next == -1) {
					throw new EOFException("Connection closed inside a response body");
				}
				this.body.write(next);
			}
		}

		private String readLine() throws IOException {
			StringBuilder line = new StringBuilder();
			for (int next = this.input.read(); next != '\n'; next = this.input.read()) {
				if (next == -1) {
					throw new EOFException("Connection closed before a complete response");
				}
				if (next != '\r') {
					line.append((char) next);
				}
			}
			return line.toString();
		}

		void close() {
			if (this.socket != null) {
				try {
					this.socket.close();
				}
				catch (IOException ex) {
					// Closing anyway
				}
				this.socket = null;
			}
		}

	}

}
