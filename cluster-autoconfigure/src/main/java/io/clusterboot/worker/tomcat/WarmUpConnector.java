package io.clusterboot.worker.tomcat;

import io.clusterboot.worker.WarmUpPort;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * A second Tomcat connector for a worker's warm-up: plain HTTP on an ephemeral port of
 * the loopback address, which only this worker serves (the cluster's port may hand a
 * connection to any worker). It serves the application like the cluster's port, and is
 * removed once the warm-up ends.
 */
public class WarmUpConnector implements WebServerFactoryCustomizer<TomcatWebServerFactory>, WarmUpPort {

	private final Connector connector = new Connector();

	public WarmUpConnector() {
		this.connector.setPort(0);
		this.connector.setProperty("address", "127.0.0.1");
	}

	@Override
	public void customize(TomcatWebServerFactory factory) {
		factory.addAdditionalConnectors(this.connector);
	}

	@Override
	public int port() {
		return this.connector.getLocalPort();
	}

	@Override
	public void close() {
		Service service = this.connector.getService();
		if (service == null) {
			return;
		}
		service.removeConnector(this.connector);
		try {
			this.connector.destroy();
		}
		catch (LifecycleException ex) {
			// Stopped already: its port is closed
		}
	}

}
