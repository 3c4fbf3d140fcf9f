package io.clusterboot.primary.socket;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The socket address encoding that the shared socket passes to {@code bind}. Binding
 * itself is exercised end to end, since it replaces the process's standard input.
 */
class NativeSocketTests {

	@Test
	void ipv4AddressRoundTrips() throws Exception {
		byte[] encoded = NativeSocket.socketAddress4(
				(java.net.Inet4Address) InetAddress.getByName("127.0.0.1"), 8080);
		assertThat(encoded).hasSize(16);
		assertThat(NativeSocket.parse(encoded)).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
	}

	@Test
	void ipv6AddressRoundTrips() throws Exception {
		byte[] encoded = NativeSocket.socketAddress6(InetAddress.getByName("::1"), 65535);
		assertThat(encoded).hasSize(28);
		assertThat(NativeSocket.parse(encoded)).isEqualTo(new InetSocketAddress("::1", 65535));
	}

	@Test
	void wildcardIsAllZeros() throws Exception {
		InetSocketAddress parsed = NativeSocket.parse(NativeSocket.socketAddress6(null, 0));
		assertThat(parsed.getAddress().isAnyLocalAddress()).isTrue();
		assertThat(parsed.getPort()).isZero();
	}

}
