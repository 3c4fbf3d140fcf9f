package io.clusterboot.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A Redis server of Debian's {@code redis-server} package, started for one test on a
 * free loopback port, with nothing saved to disk, and stopped by its process id.
 */
final class RedisServer implements AutoCloseable {

	private static final Path EXECUTABLE = Path.of("/usr/bin/redis-server");

	private final Process process;

	private final int port;

	private RedisServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static RedisServer start(Path directory) throws IOException {
		if (!Files.isExecutable(EXECUTABLE)) {
			install();
		}
		int port = SampleCluster.freePort();
		Process process = new ProcessBuilder(EXECUTABLE.toString(), "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("redis.log").toFile())
			.start();
		RedisServer server = new RedisServer(process, port);
		try {
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(server::answersPing);
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/**
	 * Install Debian's package, as root does on these machines.
	 */
	private static void install() throws IOException {
		ProcessBuilder apt = new ProcessBuilder("sh", "-c",
				"apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server")
			.inheritIO();
		try {
			Process process = apt.start();
			if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.isExecutable(EXECUTABLE)) {
				process.destroyForcibly();
				throw new IllegalStateException("Could not install redis-server with apt-get (this needs root); "
						+ "install Debian's redis-server package");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	int port() {
		return this.port;
	}

	private boolean answersPing() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.readNBytes(reply, 0, reply.length);
			return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
