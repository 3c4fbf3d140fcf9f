package io.clusterboot.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The sample jar, started with {@code java -jar} as a user would, and every process it
 * spawned. {@link #close()} kills them all by pid, also after the primary died.
 */
final class SampleCluster implements AutoCloseable {

	static final Path JAR = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));

	private static final Path LOGS = Path.of(System.getProperty("it.logs", "target/it-logs"));

	private static final Path SNAPSHOTS = LOGS.resolveSibling("it-snapshots");

	/**
	 * JVM options of every cluster the tests start, before a test's own: the build runs
	 * them with C1 alone ({@code it.jvm-options} in the pom), since they assert what the
	 * cluster does, not how fast, and JVMs that boot without C2 took the end-to-end tests
	 * from 1,122 s to 945 s. {@code -Dit.jvm-options=} runs them with the JVM's own.
	 */
	private static final List<String> TEST_JVM_OPTIONS = List
		.of(System.getProperty("it.jvm-options", "").trim().split("\\s+"))
		.stream()
		.filter((option) -> !option.isEmpty())
		.toList();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static int started;

	private static boolean classDataTrained;

	private final Process primary;

	private final Path log;

	private final int port;

	private final Set<Long> seenPids = new LinkedHashSet<>();

	private String host = "127.0.0.1";

	private SampleCluster(Process primary, Path log, int port) {
		this.primary = primary;
		this.log = log;
		this.port = port;
	}

	/**
	 * Start the sample jar on a free port.
	 * @param args program arguments, after {@code --server.port}
	 * @return the started cluster
	 */
	static SampleCluster start(String... args) {
		int port = freePort();
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port));
		arguments.addAll(List.of(args));
		return startWith(port, List.of(), arguments);
	}

	/**
	 * Start the sample jar with exactly these JVM options and program arguments.
	 * @param port the port the test expects, or 0 if it will read it from the log
	 * @param jvmOptions JVM options
	 * @param arguments program arguments
	 * @return the started cluster
	 */
	static SampleCluster startWith(int port, List<String> jvmOptions, List<String> arguments) {
		return startJar(JAR, port, jvmOptions, arguments);
	}

	/**
	 * Start a copy of the sample jar with exactly these JVM options and program arguments.
	 * @param jar the jar
	 * @param port the port the test expects, or 0 if it will read it from the log
	 * @param jvmOptions JVM options
	 * @param arguments program arguments
	 * @return the started cluster
	 */
	static SampleCluster startJar(Path jar, int port, List<String> jvmOptions, List<String> arguments) {
		return startJar(List.of(), jar, port, jvmOptions, arguments);
	}

	/**
	 * Start a copy of the sample jar through a launcher that execs {@code java} in its
	 * own process, such as {@code nohup}.
	 * @param launcher the launcher's command line, before {@code java}
	 * @param jar the jar
	 * @param port the port the test expects, or 0 if it will read it from the log
	 * @param jvmOptions JVM options
	 * @param arguments program arguments
	 * @return the started cluster
	 */
	static SampleCluster startJar(List<String> launcher, Path jar, int port, List<String> jvmOptions,
			List<String> arguments) {
		trainClassDataOnce();
		List<String> command = new ArrayList<>(launcher);
		command.addAll(javaCommand(jar, jvmOptions, arguments));
		return launch(command, Map.of(), jar.toAbsolutePath().getParent(), port);
	}

	/**
	 * Before the first test's cluster, one cluster of the sample serves until the class-data
	 * archive of its version is trained. Workers then start from it, as on a user's second
	 * start, instead of every short-lived test cluster beginning a training run that its
	 * stop cuts short. {@code -Dit.train-class-data=false} leaves it to the tests.
	 */
	private static synchronized void trainClassDataOnce() {
		if (classDataTrained || !Boolean.parseBoolean(System.getProperty("it.train-class-data", "true"))) {
			return;
		}
		classDataTrained = true;
		int port = freePort();
		try (SampleCluster cluster = startWith(port, List.of(),
				List.of("--server.port=" + port, "--cluster.instances=2"))) {
			String version = cluster.awaitReady(2).get("version").get("current").asString();
			await().atMost(Duration.ofMinutes(3))
				.until(() -> hasClassDataArchive(version) || cluster.output().contains("start without class-data sharing"));
		}
	}

	// The version's directory starts with the hash that ends "1.4.2 (3f9a0c1b2d4e)"
	private static boolean hasClassDataArchive(String version) throws IOException {
		String hash = version.replaceAll(".*\\(|\\)", "");
		try (Stream<Path> archives = Files.find(SNAPSHOTS, 3,
				(path, attributes) -> path.getFileName().toString().matches("classes-\\p{XDigit}+\\.(jsa|aot)")
						&& path.getParent().getParent().getFileName().toString().startsWith(hash))) {
			return archives.findAny().isPresent();
		}
	}

	/**
	 * The command line that starts a jar, as a user types it from the jar's directory.
	 * @param jar the jar
	 * @param jvmOptions JVM options
	 * @param arguments program arguments
	 * @return the command line
	 */
	static List<String> javaCommand(Path jar, List<String> jvmOptions, List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// Versions of the jar under target, not in the user's cache; an argument overrides it
		command.add("-Dcluster.snapshots.directory=" + SNAPSHOTS.toAbsolutePath());
		command.addAll(TEST_JVM_OPTIONS);
		command.addAll(jvmOptions);
		// As users start it: from the jar's directory, by a relative name
		command.add("-jar");
		command.add(jar.getFileName().toString());
		command.addAll(arguments);
		return command;
	}

	/**
	 * Start a command that runs a cluster, with its output in a log file.
	 * @param command the command line
	 * @param environment variables to add to the test's environment
	 * @param directory the working directory
	 * @param port the port the test expects, or 0 if it will read it from the log
	 * @return the started cluster, whose process is the command's
	 */
	static synchronized SampleCluster launch(List<String> command, Map<String, String> environment, Path directory,
			int port) {
		try {
			Files.createDirectories(LOGS);
			Path log = LOGS.resolve("cluster-" + (++started) + ".log");
			ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().putAll(environment);
			return new SampleCluster(builder.start(), log, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Send requests to another host, such as {@code [::1]}.
	 * @param host the host part of request URIs
	 * @return this cluster
	 */
	SampleCluster requestingHost(String host) {
		this.host = host;
		return this;
	}

	Process primary() {
		return this.primary;
	}

	int port() {
		return this.port;
	}

	String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * {@code GET /actuator/cluster}.
	 * @return the status
	 */
	JsonNode status() {
		JsonNode status = json.readTree(get("/actuator/cluster"));
		for (JsonNode worker : status.path("workers")) {
			if (worker.hasNonNull("pid")) {
				this.seenPids.add(worker.get("pid").asLong());
			}
		}
		return status;
	}

	/**
	 * Wait until exactly the given number of workers are READY and nothing else runs.
	 * @param workers the number of workers
	 * @return the status at that moment
	 */
	JsonNode awaitReady(int workers) {
		return await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(this::status, (status) -> readyWorkers(status).size() == workers
					&& status.get("workers").size() == workers);
	}

	/**
	 * Wait until a reload finished and replaced every one of the given processes.
	 * @param before the worker pids before the reload
	 * @param workers the number of workers
	 * @return the status at that moment
	 */
	JsonNode awaitReloaded(Set<Long> before, int workers) {
		return await().atMost(Duration.ofSeconds(180))
			.ignoreExceptions()
			.until(this::status, (status) -> status.at("/reload/state").asString().equals("finished")
					&& readyWorkers(status).size() == workers && status.get("workers").size() == workers
					&& pids(status).stream().noneMatch(before::contains));
	}

	static Set<Long> pids(JsonNode status) {
		Set<Long> pids = new LinkedHashSet<>();
		status.get("workers").forEach((worker) -> pids.add(worker.get("pid").asLong()));
		return pids;
	}

	static List<JsonNode> readyWorkers(JsonNode status) {
		List<JsonNode> ready = new ArrayList<>();
		status.get("workers").forEach((worker) -> {
			if (worker.get("state").asString().equals("READY")) {
				ready.add(worker);
			}
		});
		return ready;
	}

	static Optional<JsonNode> worker(JsonNode status, int id) {
		for (JsonNode worker : status.get("workers")) {
			if (worker.get("id").asInt() == id) {
				return Optional.of(worker);
			}
		}
		return Optional.empty();
	}

	/**
	 * A GET on a new connection, so that any worker may take it.
	 * @param path the path
	 * @return the body of a 200 response
	 */
	String get(String path) {
		return request(this.host, this.port, path).body();
	}

	JsonNode getJson(String path) {
		return parse(get(path));
	}

	static JsonNode parse(String body) {
		return json.readTree(body);
	}

	static Response request(int port, String path) {
		return request("127.0.0.1", port, path);
	}

	static Response request(String host, int port, String path) {
		Response response = exchange(host, port, "GET", path, null);
		if (response.status() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + response.status() + ": " + response.body());
		}
		return response;
	}

	/**
	 * A POST of JSON on a new connection, whatever the status of the answer.
	 * @param path the path
	 * @param json the body
	 * @return the response
	 */
	Response post(String path, String json) {
		return exchange(this.host, this.port, "POST", path, json);
	}

	/**
	 * A request on a new connection, whatever the status of the answer.
	 * @param method the method
	 * @param path the path
	 * @param json the body, or {@code null}
	 * @return the response
	 */
	Response exchange(String method, String path, String json) {
		return exchange(this.host, this.port, method, path, json);
	}

	/**
	 * A GET on a new connection, with extra request headers, such as a cookie.
	 */
	Response get(String path, Map<String, String> headers) {
		return exchange(this.host, this.port, "GET", path, null, headers);
	}

	private static Response exchange(String host, int port, String method, String path, String json) {
		return exchange(host, port, method, path, json, Map.of());
	}

	private static Response exchange(String host, int port, String method, String path, String json,
			Map<String, String> headers) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + host + ":" + port + path)
				.toURL()
				.openConnection();
			connection.setRequestMethod(method);
			connection.setRequestProperty("Connection", "close");
			headers.forEach(connection::setRequestProperty);
			connection.setConnectTimeout(5000);
			connection.setReadTimeout(30000);
			if (json != null) {
				connection.setRequestProperty("Content-Type", "application/json");
				connection.setDoOutput(true);
				try (OutputStream body = connection.getOutputStream()) {
					body.write(json.getBytes(StandardCharsets.UTF_8));
				}
			}
			int status = connection.getResponseCode();
			InputStream body = (status < 400) ? connection.getInputStream() : connection.getErrorStream();
			return new Response(status, (body != null) ? new String(body.readAllBytes(), StandardCharsets.UTF_8) : "",
					connection.getHeaderField("Set-Cookie"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Send a signal to a process.
	 * @param pid the process
	 * @param signal the signal's name, such as {@code TERM}
	 */
	static void signal(long pid, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static boolean isAlive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	/**
	 * The arguments a running process was started with, after its executable.
	 * @param pid the process
	 * @return its arguments, empty if it is gone
	 */
	static List<String> arguments(long pid) {
		return ProcessHandle.of(pid).flatMap((process) -> process.info().arguments()).map(List::of).orElse(List.of());
	}

	Set<Long> seenPids() {
		return this.seenPids;
	}

	@Override
	public void close() {
		Set<Long> pids = new LinkedHashSet<>(this.seenPids);
		this.primary.descendants().forEach((process) -> pids.add(process.pid()));
		this.primary.destroyForcibly();
		for (long pid : pids) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
		try {
			this.primary.waitFor(30, TimeUnit.SECONDS);
			// Until none holds the port any more, which the next test may bind
			for (long pid : pids) {
				ProcessHandle process = ProcessHandle.of(pid).orElse(null);
				if (process != null) {
					process.onExit().get(30, TimeUnit.SECONDS);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Killed; the next test finds out if it is not gone
		}
	}

	/**
	 * Whether a child of the primary is a worker, not a class-data training run.
	 * @param child a child process
	 * @return {@code true} for a worker
	 */
	static boolean isWorker(ProcessHandle child) {
		return child.info().arguments().stream().flatMap(Arrays::stream)
			.noneMatch((argument) -> argument.startsWith("-XX:ArchiveClassesAtExit")
					|| argument.startsWith("-XX:AOTCacheOutput"));
	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param body the body
	 * @param setCookie the {@code Set-Cookie} header, {@code null} without one
	 */
	record Response(int status, String body, String setCookie) {
	}

}
