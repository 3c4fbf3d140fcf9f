package io.clusterboot.worker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerWarmUp}, against a real HTTP server on the loopback address.
 */
class WorkerWarmUpTests {

	private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

	private final RequestTracker tracker = new RequestTracker();

	private HttpServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			String path = exchange.getRequestURI().toString();
			this.hits.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
			byte[] body = "ok".getBytes();
			exchange.sendResponseHeaders(path.startsWith("/missing") ? 404 : 200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void everyPathIsRequestedInTurnForTheDurationAndThePortIsClosedAfter() {
		FakePort port = new FakePort(this.server.getAddress().getPort());
		WorkerWarmUp warmUp = new WorkerWarmUp(List.of("/hello", "/page?size=2"), Duration.ofMillis(500), port,
				this.tracker);
		warmUp.onApplicationEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0], null,
				Duration.ZERO));
		assertThat(this.hits.keySet()).containsExactlyInAnyOrder("/hello", "/page?size=2");
		assertThat(this.hits.get("/hello").get()).isGreaterThan(1);
		assertThat(port.closed).isTrue();
		// A second started event, such as a child context's, sends nothing more
		int sent = this.hits.values().stream().mapToInt(AtomicInteger::get).sum();
		warmUp.onApplicationEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0], null,
				Duration.ZERO));
		assertThat(this.hits.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(sent);
	}

	@Test
	void theResultCountsTheRequestsAndNamesTheFirstThatFailed() {
		WorkerWarmUp warmUp = new WorkerWarmUp(List.of("/hello", "/missing"), Duration.ofMillis(300),
				new FakePort(this.server.getAddress().getPort()), this.tracker);
		WorkerWarmUp.Result result = warmUp.warmUp();
		int served = this.hits.values().stream().mapToInt(AtomicInteger::get).sum();
		assertThat(result.requests()).isEqualTo(served);
		assertThat(result.unexpected()).isEqualTo("GET /missing answered 404");
	}

	@Test
	void aPortThatNoLongerAnswersEndsTheWarmUpEarly() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		WorkerWarmUp warmUp = new WorkerWarmUp(List.of("/hello"), Duration.ofMinutes(5), new FakePort(closedPort),
				this.tracker);
		WorkerWarmUp.Result result = warmUp.warmUp();
		assertThat(result.requests()).isZero();
		assertThat(result.unexpected()).contains("no longer answers");
		assertThat(result.elapsed()).isLessThan(Duration.ofMinutes(1));
	}

	@Test
	void theWorkersRequestCountsLeaveTheWarmUpPortOut() throws Exception {
		FakePort port = new FakePort(this.server.getAddress().getPort());
		new WorkerWarmUp(List.of("/hello"), Duration.ofMillis(50), port, this.tracker)
			.onApplicationEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0], null,
					Duration.ZERO));
		this.tracker.doFilter(requestOnPort(port.port()), new MockHttpServletResponse(), new MockFilterChain());
		this.tracker.doFilter(requestOnPort(8080), new MockHttpServletResponse(), new MockFilterChain());
		assertThat(this.tracker.completed()).isOne();
	}

	private static MockHttpServletRequest requestOnPort(int port) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/hello");
		request.setLocalPort(port);
		return request;
	}

	static final class FakePort implements WarmUpPort {

		private final int port;

		private volatile boolean closed;

		FakePort(int port) {
			this.port = port;
		}

		@Override
		public int port() {
			return this.port;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
