package io.clusterboot.worker.tomcat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import io.clusterboot.ClusterProperties.Listen;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketProcessorBase;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's NIO endpoint, accepting from the cluster's port.
 * <p>
 * The acceptor blocks in {@code accept}, so that the kernel hands each new connection
 * to the worker that has waited longest: idle workers take turns. To stop accepting,
 * the acceptor is told first and then woken by connecting to the port; whichever worker
 * takes that connection sees it close at once, and a real connection this worker took
 * meanwhile is served, never dropped. The inherited channel is never closed: the JDK
 * would point this process's standard output and error at {@code /dev/null}.
 * <p>
 * With {@code cluster.listen=reuseport}, this worker's own listener is closed as soon as
 * it stops accepting, after it took what was queued on it: the kernel would otherwise go
 * on queueing a share of new connections on a listener nobody accepts from.
 * <p>
 * With {@code cluster.listen=sticky}, the kernel routes a connection to one worker's
 * socket by its client's address, so a connection to the port would not wake this
 * acceptor. It waits in a selector instead, which a stop wakes, and takes what is queued
 * on its socket before it stops: during a reload the replacement shares the socket, and
 * after a scale down no new connection is routed to it.
 */
public class WorkerNioEndpoint extends NioEndpoint {

	private static final int MAX_WAKE_ATTEMPTS = 100;

	private static final long WAKE_INTERVAL_MILLIS = 10;

	private final Object acceptorState = new Object();

	private volatile ServerSocketChannel listener;

	private boolean ownListener;

	private Selector stickySelector;

	private boolean stoppedAccepting;

	private boolean inAccept;

	private RequestThreadNiceness requestThreadNiceness;

	/**
	 * Lower the priority of the threads that serve this endpoint's requests below that of
	 * the JIT's compiler threads.
	 * @param niceness the nice value, 0 (off) to 19
	 */
	public void setRequestNiceness(int niceness) {
		this.requestThreadNiceness = RequestThreadNiceness.applies(niceness) ? new RequestThreadNiceness(niceness)
				: null;
	}

	@Override
	protected SocketProcessorBase<NioChannel> createSocketProcessor(SocketWrapperBase<NioChannel> socketWrapper,
			SocketEvent event) {
		RequestThreadNiceness niceness = this.requestThreadNiceness;
		if (niceness == null) {
			return super.createSocketProcessor(socketWrapper, event);
		}
		// Tomcat keeps processors for reuse, so this runs for every request on any thread
		return new SocketProcessor(socketWrapper, event) {

			@Override
			protected void doRun() {
				niceness.applyToCurrentThread();
				super.doRun();
			}

		};
	}

	@Override
	protected void initServerSocket() throws Exception {
		ServerSocketChannel channel = WorkerSocket.open(getAddress(), getAcceptCount());
		Listen listen = WorkerSocket.listen();
		if (listen == Listen.STICKY) {
			channel.configureBlocking(false);
			this.stickySelector = Selector.open();
			channel.register(this.stickySelector, SelectionKey.OP_ACCEPT);
		}
		else {
			channel.configureBlocking(true);
		}
		this.listener = channel;
		this.ownListener = listen == Listen.REUSEPORT;
	}

	@Override
	protected NetworkChannel getServerSocket() {
		return this.listener;
	}

	/**
	 * Stop taking connections from the port for good. Connections already accepted are
	 * served; those still queued are left for the other workers.
	 */
	public void stopAccepting() {
		synchronized (this.acceptorState) {
			this.stoppedAccepting = true;
		}
		wakeAcceptor();
	}

	@Override
	protected SocketChannel serverSocketAccept() throws Exception {
		while (true) {
			synchronized (this.acceptorState) {
				SocketChannel queued = takeQueuedOnceStopped();
				if (queued != null) {
					return queued;
				}
				while (this.stoppedAccepting && isRunning() && !isPaused()) {
					this.acceptorState.wait();
				}
				if (this.stoppedAccepting || !isRunning() || isPaused()) {
					// The acceptor hands this to destroySocket, as it does with anything
					// accepted while paused, then waits in its own pause loop
					return null;
				}
				this.inAccept = true;
			}
			try {
				SocketChannel accepted = (this.stickySelector != null) ? acceptWhenReady() : this.listener.accept();
				if (accepted != null) {
					return accepted;
				}
			}
			finally {
				synchronized (this.acceptorState) {
					this.inAccept = false;
				}
			}
		}
	}

	/**
	 * Once this worker stopped accepting, a connection still queued on a socket that
	 * only this worker was routed: its own listener ({@code reuseport}), closed once
	 * empty, or its sticky socket.
	 */
	private SocketChannel takeQueuedOnceStopped() throws IOException {
		ServerSocketChannel channel = this.listener;
		if (!this.stoppedAccepting || channel == null || !channel.isOpen()) {
			return null;
		}
		if (this.ownListener) {
			return takeQueuedOrClose(channel);
		}
		return (this.stickySelector != null) ? channel.accept() : null;
	}

	/**
	 * Wait in the selector until a connection is queued, or until a stop wakes it.
	 * @return the connection, or {@code null} when woken to stop
	 */
	private SocketChannel acceptWhenReady() throws IOException {
		while (true) {
			ServerSocketChannel channel = this.listener;
			SocketChannel accepted = (channel != null) ? channel.accept() : null;
			if (accepted != null) {
				return accepted;
			}
			synchronized (this.acceptorState) {
				if (channel == null || this.stoppedAccepting || !isRunning() || isPaused()) {
					return null;
				}
			}
			try {
				this.stickySelector.select();
				this.stickySelector.selectedKeys().clear();
			}
			catch (ClosedSelectorException ex) {
				return null;
			}
		}
	}

	/**
	 * Take a connection that waits in this worker's own listener, or close the listener
	 * once none does.
	 */
	private static SocketChannel takeQueuedOrClose(ServerSocketChannel listener) throws IOException {
		listener.configureBlocking(false);
		SocketChannel queued = listener.accept();
		if (queued == null) {
			listener.close();
		}
		return queued;
	}

	@Override
	protected void destroySocket(SocketChannel socket) {
		if (socket != null) {
			super.destroySocket(socket);
		}
		else {
			countDownConnection();
		}
	}

	/**
	 * Tomcat calls this whenever the acceptor must stop taking connections: on pause, on
	 * stop, and when Spring Boot's graceful shutdown closes the server socket.
	 */
	@Override
	protected void unlockAccept() {
		wakeAcceptor();
	}

	private void wakeAcceptor() {
		synchronized (this.acceptorState) {
			this.acceptorState.notifyAll();
		}
		if (this.stickySelector != null) {
			this.stickySelector.wakeup();
			return;
		}
		for (int attempt = 0; attempt < MAX_WAKE_ATTEMPTS && isInAccept(); attempt++) {
			connectToPort();
			try {
				Thread.sleep(WAKE_INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private boolean isInAccept() {
		synchronized (this.acceptorState) {
			return this.inAccept;
		}
	}

	private void connectToPort() {
		ServerSocketChannel channel = this.listener;
		if (channel == null) {
			return;
		}
		try {
			InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
			InetAddress host = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
					: bound.getAddress();
			try (SocketChannel wake = SocketChannel.open(new InetSocketAddress(host, bound.getPort()))) {
				// Connected; closing it is all
			}
		}
		catch (IOException ex) {
			getLog().debug("Could not connect to wake the acceptor", ex);
		}
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		// The inherited channel stays open: the primary holds the socket anyway
		if (this.listener != null && this.ownListener) {
			this.listener.close();
		}
		if (this.stickySelector != null) {
			// Deregisters the inherited channel, which stays open
			this.stickySelector.close();
		}
		this.listener = null;
	}

}
