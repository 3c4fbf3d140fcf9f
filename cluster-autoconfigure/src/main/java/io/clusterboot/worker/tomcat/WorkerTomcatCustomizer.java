package io.clusterboot.worker.tomcat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.clusterboot.worker.DrainableServer;

import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Makes a worker's Tomcat accept from the cluster's port instead of binding its own, and
 * lets the worker's drain stop it accepting.
 */
public class WorkerTomcatCustomizer implements WebServerFactoryCustomizer<TomcatWebServerFactory>, DrainableServer {

	private final List<WorkerHttp11NioProtocol> protocols = new CopyOnWriteArrayList<>();

	private final int requestNiceness;

	/**
	 * Create a customizer.
	 * @param requestNiceness the nice value of the threads that serve requests, 0 to leave
	 * them as they are
	 */
	public WorkerTomcatCustomizer(int requestNiceness) {
		this.requestNiceness = requestNiceness;
	}

	@Override
	public void customize(TomcatWebServerFactory factory) {
		factory.setProtocol(WorkerHttp11NioProtocol.class.getName());
		factory.addConnectorCustomizers((connector) -> {
			if (connector.getProtocolHandler() instanceof WorkerHttp11NioProtocol protocol) {
				protocol.getWorkerEndpoint().setRequestNiceness(this.requestNiceness);
				this.protocols.add(protocol);
			}
		});
	}

	@Override
	public void stopAccepting() {
		this.protocols.forEach((protocol) -> protocol.getWorkerEndpoint().stopAccepting());
	}

	/**
	 * Tomcat reads the limit as each request starts; at 1 it answers with
	 * {@code Connection: close} and keeps chunking bodies of unknown length, which it does
	 * not do when the application sets that header.
	 */
	@Override
	public void closeConnectionsAfterNextResponse() {
		this.protocols.forEach((protocol) -> protocol.setMaxKeepAliveRequests(1));
	}

	@Override
	public int openConnections() {
		return this.protocols.stream()
			.mapToInt((protocol) -> protocol.getWorkerEndpoint().getConnections().size())
			.sum();
	}

}
