package io.clusterboot.socket;

import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Makes a worker's Tomcat accept from the cluster's port instead of binding its own.
 */
public class WorkerTomcatCustomizer implements WebServerFactoryCustomizer<TomcatWebServerFactory> {

	@Override
	public void customize(TomcatWebServerFactory factory) {
		factory.setProtocol(WorkerHttp11NioProtocol.class.getName());
	}

}
