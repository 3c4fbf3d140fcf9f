package io.clusterboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A STOMP 1.2 client on the JDK's WebSocket, small enough to read: it sees what a
 * browser sees, close codes included, which Spring's STOMP client does not report. The
 * benchmark uses it too.
 */
public final class StompClient implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String name;

	private final WebSocket socket;

	private final Map<String, Consumer<String>> subscriptions = new LinkedHashMap<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final CompletableFuture<Void> connected = new CompletableFuture<>();

	private final AtomicInteger nextId = new AtomicInteger();

	private StompClient(String name, URI endpoint) {
		this.name = name;
		this.socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.buildAsync(endpoint, new Frames())
			.join();
		send("CONNECT", Map.of("accept-version", "1.2", "host", endpoint.getHost(), "heart-beat", "0,0"), "");
		this.connected.orTimeout(10, TimeUnit.SECONDS).join();
	}

	/**
	 * Connect to the sample's chat endpoint as a named user.
	 * @param port the cluster's port on 127.0.0.1
	 * @param name the user's name
	 * @return the connected client
	 */
	public static StompClient connect(int port, String name) {
		return new StompClient(name, URI.create("ws://127.0.0.1:" + port + "/chat-ws?name=" + name));
	}

	/**
	 * The user this client connected as.
	 * @return the user's name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Subscribe to a destination.
	 * @param destination the destination
	 * @return the bodies of the messages that arrive, parsed as JSON
	 */
	public BlockingQueue<JsonNode> subscribe(String destination) {
		BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
		subscribe(destination, (body) -> messages.add(json.readTree(body)));
		return messages;
	}

	/**
	 * Subscribe to a destination, handing each message's body to a callback on the
	 * client's receiving thread as it arrives.
	 * @param destination the destination
	 * @param bodies receives the bodies
	 */
	public synchronized void subscribe(String destination, Consumer<String> bodies) {
		String id = "sub-" + this.nextId.incrementAndGet();
		this.subscriptions.put(id, bodies);
		send("SUBSCRIBE", Map.of("id", id, "destination", destination), "");
	}

	/**
	 * The id of the worker that holds this connection, as the sample tells it.
	 * @return the worker id
	 */
	public int worker() {
		return take(subscribe("/app/worker")).get("worker").asInt();
	}

	public void send(String destination, String json) {
		send("SEND", Map.of("destination", destination, "content-type", "application/json"), json);
	}

	/**
	 * The close code the server sent.
	 * @return the code, when the server closes the connection
	 */
	public CompletableFuture<Integer> closeCode() {
		return this.closeCode;
	}

	public static JsonNode take(BlockingQueue<JsonNode> messages) {
		try {
			JsonNode message = messages.poll(10, TimeUnit.SECONDS);
			if (message == null) {
				throw new AssertionError("No message within 10 s");
			}
			return message;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private synchronized void send(String command, Map<String, String> headers, String body) {
		StringBuilder frame = new StringBuilder(command).append('\n');
		headers.forEach((name, value) -> frame.append(name).append(':').append(value).append('\n'));
		frame.append('\n').append(body).append('\0');
		this.socket.sendText(frame, true).join();
	}

	private void received(String frame) {
		String[] headAndBody = frame.split("\n\n", 2);
		List<String> lines = List.of(headAndBody[0].split("\n"));
		String body = (headAndBody.length > 1) ? headAndBody[1].replace("\0", "") : "";
		Map<String, String> headers = new LinkedHashMap<>();
		lines.stream().skip(1).forEach((line) -> {
			int colon = line.indexOf(':');
			headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 1));
		});
		switch (lines.get(0)) {
			case "CONNECTED" -> this.connected.complete(null);
			case "MESSAGE" -> {
				Consumer<String> bodies;
				synchronized (this) {
					bodies = this.subscriptions.get(headers.get("subscription"));
				}
				if (bodies != null) {
					bodies.accept(body);
				}
			}
			case "ERROR" -> this.connected.completeExceptionally(new IllegalStateException("STOMP ERROR: " + frame));
			default -> {
			}
		}
	}

	@Override
	public void close() {
		this.socket.abort();
	}

	private final class Frames implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				String frame = this.text.toString();
				this.text.setLength(0);
				// Heart-beats are bare end-of-lines
				if (!frame.isBlank()) {
					received(frame);
				}
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			StompClient.this.closeCode.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			StompClient.this.closeCode.completeExceptionally(error);
			StompClient.this.connected.completeExceptionally(error);
		}

	}

}
