package io.clusterboot.sample;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A headless Chromium of Debian's {@code chromium} package, driven through the Chrome
 * DevTools Protocol with nothing but the JDK's HTTP and WebSocket clients: end-to-end
 * tests see what a browser's page sees, without Selenium or a browser build of its own
 * that would have to be downloaded.
 */
final class HeadlessChromium implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

	private final Process process;

	private final Path directory;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(REPLY_TIMEOUT)
		.build();

	private int port;

	private HeadlessChromium(Process process, Path directory) {
		this.process = process;
		this.directory = directory;
	}

	/**
	 * Start a headless Chromium with a fresh profile, installing Debian's package first
	 * when there is none, as root can on these machines.
	 * @return the started browser
	 * @throws IOException if the browser could not be started
	 */
	static HeadlessChromium start() throws IOException {
		Path executable = SystemPackages.require("chromium", "chromium");
		Path directory = Files.createTempDirectory("headless-chromium-");
		Path userData = directory.resolve("user-data");
		// Port 0 lets Chromium choose a free port, which it then writes to
		// DevToolsActivePort: no race with other tests over a port chosen up front.
		// Root needs --no-sandbox, and the remote debugging server rejects WebSocket
		// origins that are not allowed. Timers of pages that nobody looks at are not
		// throttled, so the pages of a test run at the same pace.
		Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
				"--no-first-run", "--no-default-browser-check", "--user-data-dir=" + userData,
				"--remote-debugging-port=0", "--remote-allow-origins=*", "--disable-background-timer-throttling",
				"--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows", "about:blank")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("chromium.log").toFile())
			.start();
		HeadlessChromium chromium = new HeadlessChromium(process, directory);
		try {
			chromium.port = await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(chromium::activePort, (port) -> port > 0);
		}
		catch (RuntimeException ex) {
			String log = Files.readString(directory.resolve("chromium.log"), StandardCharsets.UTF_8);
			chromium.close();
			throw new IllegalStateException("Chromium did not start its DevTools server:\n" + log, ex);
		}
		return chromium;
	}

	/**
	 * The port that Chromium wrote to the first line of DevToolsActivePort, once it
	 * listens.
	 */
	private int activePort() throws IOException {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("Chromium exited with " + this.process.exitValue());
		}
		Path file = this.directory.resolve("user-data").resolve("DevToolsActivePort");
		List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
		// The file may be seen half written: the second line, the browser's path, ends it
		return (lines.size() < 2) ? 0 : Integer.parseInt(lines.get(0).trim());
	}

	/**
	 * Open a new tab on a URL, and wait for its page to have loaded, so that a test never
	 * reads the blank document that a new tab starts with.
	 * @param url the URL of the page
	 * @return the page
	 * @throws IOException if the DevTools server could not be reached
	 */
	Page open(String url) throws IOException {
		// DevTools splits the query at '&' before unquoting it: quote the URL whole
		URI uri = devTools("/json/new?" + URLEncoder.encode(url, StandardCharsets.UTF_8).replace("+", "%20"));
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.noBody()));
		if (response.statusCode() != 200) {
			// Chromium before 111 knew /json/new with GET only
			response = send(HttpRequest.newBuilder(uri).GET());
		}
		if (response.statusCode() != 200) {
			throw new IOException("Could not open a tab: " + response.statusCode() + " " + response.body());
		}
		JsonNode target = json.readTree(response.body());
		Page page = new Page(target.get("id").asString(), URI.create(target.get("webSocketDebuggerUrl").asString()));
		try {
			String blank = "about:blank".equals(url) ? "true" : "location.href !== 'about:blank'";
			page.awaitLoaded(blank);
		}
		catch (RuntimeException ex) {
			page.close();
			throw ex;
		}
		return page;
	}

	private URI devTools(String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + this.port + pathAndQuery);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
		try {
			return this.http.send(request.timeout(REPLY_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Stop the browser and the processes it started, by their process ids, and delete its
	 * profile.
	 */
	@Override
	public void close() {
		// Taken before the browser ends: its children would then no longer be its own
		List<ProcessHandle> processes = Stream.concat(Stream.of(this.process.toHandle()), this.process.descendants())
			.toList();
		processes.forEach(ProcessHandle::destroy);
		for (ProcessHandle process : processes) {
			try {
				process.onExit().get(5, TimeUnit.SECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				process.destroyForcibly();
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		delete(this.directory);
	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// Left for the operating system's cleaning of temporary files
		}
	}

	/**
	 * A tab, driven through its page's DevTools WebSocket.
	 */
	final class Page implements AutoCloseable {

		private final String id;

		private final WebSocket socket;

		private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();

		private final AtomicInteger nextId = new AtomicInteger();

		private Page(String id, URI webSocketDebuggerUrl) {
			this.id = id;
			this.socket = HeadlessChromium.this.http.newWebSocketBuilder()
				.connectTimeout(REPLY_TIMEOUT)
				.buildAsync(webSocketDebuggerUrl, new Messages())
				.join();
		}

		/**
		 * Evaluate a JavaScript expression in the page, awaiting it if it is a promise.
		 * @param expression the expression
		 * @return its value, as JSON: a missing node for {@code undefined}
		 * @throws AssertionError if the page threw
		 */
		JsonNode evaluate(String expression) {
			JsonNode reply = send("Runtime.evaluate",
					Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
			JsonNode thrown = reply.get("exceptionDetails");
			if (thrown != null) {
				JsonNode exception = thrown.path("exception");
				String detail = exception.has("description") ? exception.get("description").asString()
						: exception.path("value").toString();
				throw new AssertionError(thrown.path("text").asString() + " " + detail + " evaluating: " + expression);
			}
			return reply.path("result").path("value");
		}

		/**
		 * Evaluate a JavaScript expression in the page, as text.
		 * @param expression the expression
		 * @return its value, as text: empty for {@code undefined} or {@code null}
		 * @throws tools.jackson.databind.exc.JsonNodeException if the value is an object
		 * or an array, which {@link #evaluate(String)} returns as JSON
		 */
		String text(String expression) {
			return evaluate(expression).asString();
		}

		/**
		 * Reload the page, and wait for the new document to have loaded, so that a test
		 * never reads the one it replaces.
		 */
		void reload() {
			evaluate("window.__headlessChromiumReloading = true");
			send("Page.reload", Map.of());
			awaitLoaded("window.__headlessChromiumReloading === undefined");
		}

		/**
		 * Wait for the document that meets a condition to have loaded. Evaluations fail
		 * while a navigation replaces the document, so they are tried again.
		 */
		private void awaitLoaded(String condition) {
			await().atMost(LOAD_TIMEOUT)
				.pollInterval(Duration.ofMillis(50))
				.ignoreExceptions()
				.until(() -> evaluate("(" + condition + ") && document.readyState === 'complete'").asBoolean());
		}

		private JsonNode send(String method, Map<String, Object> params) {
			int id = this.nextId.incrementAndGet();
			CompletableFuture<JsonNode> reply = new CompletableFuture<>();
			this.replies.put(id, reply);
			try {
				String command = json.writeValueAsString(Map.of("id", id, "method", method, "params", params));
				// A WebSocket sends one message at a time
				synchronized (this.socket) {
					this.socket.sendText(command, true).join();
				}
				return reply.get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (TimeoutException ex) {
				throw new AssertionError("No reply to " + method + " within " + REPLY_TIMEOUT.toSeconds() + " s");
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException(method + " failed: " + ex.getCause().getMessage(), ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			finally {
				this.replies.remove(id);
			}
		}

		private void received(String message) {
			JsonNode reply = json.readTree(message);
			// Events have no id, and no test here waits for one
			CompletableFuture<JsonNode> pending = reply.has("id") ? this.replies.get(reply.get("id").asInt()) : null;
			if (pending != null) {
				if (reply.has("error")) {
					pending.completeExceptionally(new IllegalStateException(reply.get("error").toString()));
				}
				else {
					pending.complete(reply.path("result"));
				}
			}
		}

		private void closed(String why) {
			this.replies.values().forEach((pending) -> pending.completeExceptionally(new IllegalStateException(why)));
		}

		/**
		 * Close the DevTools WebSocket, and the tab.
		 */
		@Override
		public void close() {
			this.socket.abort();
			try {
				HeadlessChromium.this.send(HttpRequest.newBuilder(devTools("/json/close/" + this.id)).GET());
			}
			catch (IOException ex) {
				// The browser has gone, and the tab with it
			}
		}

		private final class Messages implements WebSocket.Listener {

			private final StringBuilder text = new StringBuilder();

			@Override
			public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
				this.text.append(data);
				if (last) {
					String message = this.text.toString();
					this.text.setLength(0);
					received(message);
				}
				webSocket.request(1);
				return null;
			}

			@Override
			public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
				closed("DevTools closed the WebSocket: " + statusCode + " " + reason);
				return null;
			}

			@Override
			public void onError(WebSocket webSocket, Throwable error) {
				closed("DevTools WebSocket failed: " + error);
			}

		}

	}

}
