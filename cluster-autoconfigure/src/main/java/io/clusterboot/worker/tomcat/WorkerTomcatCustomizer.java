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

	private final List<WorkerNioEndpoint> endpoints = new CopyOnWriteArrayList<>();

	@Override
	public void customize(TomcatWebServerFactory factory) {
		factory.setProtocol(WorkerHttp11NioProtocol.class.getName());
		factory.addConnectorCustomizers((connector) -> {
			if (connector.getProtocolHandler() instanceof WorkerHttp11NioProtocol protocol) {
				this.endpoints.add(protocol.getWorkerEndpoint());
			}
		});
	}

	@Override
	public void stopAccepting() {
		this.endpoints.forEach(WorkerNioEndpoint::stopAccepting);
	}

	@Override
	public int openConnections() {
		return this.endpoints.stream().mapToInt((endpoint) -> endpoint.getConnections().size()).sum();
	}

}
