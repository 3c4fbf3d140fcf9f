package io.clusterboot.socket;

import java.io.IOException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import io.clusterboot.ClusterProperties.Listen;
import org.apache.tomcat.util.net.NioEndpoint;

/**
 * Tomcat's NIO endpoint, accepting from the cluster's port.
 * <p>
 * Accepting is non-blocking and waits on a selector, so that {@link #stopAccepting()}
 * takes effect at once and never leaves a connection accepted and then destroyed. The
 * stock endpoint unlocks a blocked acceptor with a dummy connection, which on a shared
 * socket another worker may take, and closing the inherited channel instead would make
 * the JDK point this process's standard output and error at {@code /dev/null}.
 */
public class WorkerNioEndpoint extends NioEndpoint {

	private volatile ServerSocketChannel listener;

	private volatile Selector acceptSelector;

	private SelectionKey acceptKey;

	private volatile boolean accepting = true;

	private volatile boolean stoppedAccepting;

	@Override
	protected void initServerSocket() throws Exception {
		ServerSocketChannel channel = WorkerSocket.open(getAddress(), getAcceptCount());
		channel.configureBlocking(false);
		this.acceptSelector = Selector.open();
		this.acceptKey = channel.register(this.acceptSelector, SelectionKey.OP_ACCEPT);
		this.listener = channel;
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
		this.stoppedAccepting = true;
		unlockAccept();
	}

	/**
	 * Whether {@link #stopAccepting()} was called.
	 * @return {@code true} once this endpoint takes no new connections for good
	 */
	public boolean hasStoppedAccepting() {
		return this.stoppedAccepting;
	}

	@Override
	protected SocketChannel serverSocketAccept() throws Exception {
		while (!isPaused() && isRunning()) {
			this.acceptKey.interestOps(this.accepting ? SelectionKey.OP_ACCEPT : 0);
			if (this.accepting) {
				SocketChannel socket = this.listener.accept();
				if (socket != null) {
					return socket;
				}
			}
			this.acceptSelector.select();
			this.acceptSelector.selectedKeys().clear();
		}
		// The acceptor hands this to destroySocket, as it does with anything accepted
		// while paused
		return null;
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
		this.accepting = false;
		wakeAcceptor();
	}

	@Override
	public void resume() {
		super.resume();
		this.accepting = !this.stoppedAccepting;
		wakeAcceptor();
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		Selector selector = this.acceptSelector;
		if (selector != null) {
			selector.close();
		}
		// An inherited channel stays open: the JDK would detach standard output and
		// error when closing it, and the primary holds the socket anyway
		if (this.listener != null && WorkerSocket.listen() == Listen.REUSEPORT) {
			this.listener.close();
		}
		this.listener = null;
	}

	private void wakeAcceptor() {
		Selector selector = this.acceptSelector;
		if (selector != null) {
			selector.wakeup();
		}
	}

}
