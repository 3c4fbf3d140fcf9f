package io.clusterboot.primary;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChannelAcceptor}.
 */
class ChannelAcceptorTests {

	@TempDir
	Path temp;

	@Test
	@Timeout(30)
	void pastTheLimitANewConnectionIsClosedUntilOneEnds() throws Exception {
		Path socket = this.temp.resolve("test.sock");
		AtomicInteger served = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			ChannelAcceptor.start(server, "test", (channel) -> {
				served.incrementAndGet();
				awaitQuietly(release);
			}, 2);
			try (SocketChannel one = connect(socket); SocketChannel two = connect(socket)) {
				await().atMost(Duration.ofSeconds(10)).until(() -> served.get() == 2);
				try (SocketChannel three = connect(socket)) {
					assertThat(ControlServerTests.readUntilClosed(three)).isEqualTo(-1);
				}
				assertThat(served).hasValue(2);
				release.countDown();
				// Until the first two end, a new connection may still be closed: try again
				await().atMost(Duration.ofSeconds(10)).until(() -> {
					try (SocketChannel again = connect(socket)) {
						return served.get() > 2;
					}
				});
			}
		}
	}

	private static SocketChannel connect(Path socket) throws IOException {
		return SocketChannel.open(UnixDomainSocketAddress.of(socket));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
