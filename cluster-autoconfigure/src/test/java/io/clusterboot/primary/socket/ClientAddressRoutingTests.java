package io.clusterboot.primary.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The routing program of sticky sockets, run by this machine's kernel, against the hash
 * that {@link ClientAddressRouting#slotOf} computes in Java.
 */
class ClientAddressRoutingTests {

	private final List<Integer> sockets = new ArrayList<>();

	@AfterEach
	void closeSockets() {
		this.sockets.forEach(NativeSocket::close);
	}

	@Test
	void oneAddressAlwaysHasOneSlotAndNeighboursSpread() throws Exception {
		Set<Integer> slots = new HashSet<>();
		for (int host = 2; host <= 17; host++) {
			InetAddress client = InetAddress.getByName("127.0.0." + host);
			int slot = ClientAddressRouting.slotOf(client, 2);
			assertThat(ClientAddressRouting.slotOf(InetAddress.getByName("127.0.0." + host), 2)).isEqualTo(slot);
			slots.add(slot);
		}
		assertThat(slots).containsExactlyInAnyOrder(0, 1);
	}

	@Test
	void slotsStayWithinTheRoutedSockets() throws Exception {
		for (int sockets = 1; sockets <= 5; sockets++) {
			for (String client : List.of("10.0.0.1", "255.255.255.255", "::1", "2001:db8::ffff:ffff")) {
				assertThat(ClientAddressRouting.slotOf(InetAddress.getByName(client), sockets)).isBetween(0,
						sockets - 1);
			}
		}
	}

	@Test
	void atLeastOneSocketIsRouted() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClientAddressRouting.program(0));
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void theKernelRoutesIpv4ClientsAsTheHashSays() throws Exception {
		assertKernelRoutesAsHashed(InetAddress.getByName("127.0.0.1"), 3, loopbackClients());
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void aDualStackSocketRoutesIpv4AndIpv6ClientsAsTheHashSays() throws Exception {
		List<InetAddress> clients = new ArrayList<>(loopbackClients());
		clients.add(InetAddress.getByName("::1"));
		assertKernelRoutesAsHashed(null, 2, clients);
	}

	private void assertKernelRoutesAsHashed(InetAddress bound, int count, List<InetAddress> clients)
			throws IOException {
		int port = 0;
		for (int i = 0; i < count; i++) {
			int fd = NativeSocket.listen(bound, port, 16, true);
			this.sockets.add(fd);
			port = NativeSocket.localAddress(fd).getPort();
			Accepting.LIBC.fcntl(fd, Accepting.F_SETFL, Accepting.O_NONBLOCK);
		}
		ClientAddressRouting.attach(this.sockets.get(0), count);
		for (InetAddress client : clients) {
			for (int connection = 0; connection < 3; connection++) {
				InetAddress server = (client.getAddress().length == 4) ? InetAddress.getByName("127.0.0.1")
						: InetAddress.getByName("::1");
				try (SocketChannel channel = SocketChannel.open()) {
					channel.bind(new InetSocketAddress(client, 0));
					channel.connect(new InetSocketAddress(server, port));
					assertThat(acceptedBy()).as("socket that accepted %s", client)
						.isEqualTo(ClientAddressRouting.slotOf(client, count));
				}
			}
		}
	}

	/**
	 * The index of the one socket that had the connection queued.
	 */
	private int acceptedBy() {
		List<Integer> accepted = new ArrayList<>();
		for (int i = 0; i < this.sockets.size(); i++) {
			int connection = Accepting.LIBC.accept(this.sockets.get(i), null, null);
			if (connection >= 0) {
				NativeSocket.close(connection);
				accepted.add(i);
			}
		}
		assertThat(accepted).hasSize(1);
		return accepted.get(0);
	}

	private static List<InetAddress> loopbackClients() {
		return IntStream.rangeClosed(2, 17).mapToObj((host) -> {
			try {
				return InetAddress.getByName("127.0.0." + host);
			}
			catch (UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

	/**
	 * Accepting from a native socket without blocking; connections on loopback are
	 * queued by the time {@code connect} returns.
	 */
	interface Accepting extends Library {

		Accepting LIBC = Native.load(Platform.C_LIBRARY_NAME, Accepting.class);

		int F_SETFL = 4;

		int O_NONBLOCK = 04000;

		int fcntl(int fd, int command, int argument);

		int accept(int fd, Pointer address, Pointer length);

	}

}
