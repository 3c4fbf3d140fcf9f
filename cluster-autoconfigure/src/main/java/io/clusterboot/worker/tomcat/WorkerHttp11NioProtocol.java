package io.clusterboot.worker.tomcat;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * HTTP/1.1 over {@link WorkerNioEndpoint}. Tomcat creates protocols by class name, hence
 * the no-argument constructor.
 */
public class WorkerHttp11NioProtocol extends Http11NioProtocol {

	public WorkerHttp11NioProtocol() {
		super(new WorkerNioEndpoint());
	}

	/**
	 * The endpoint that accepts from the cluster's port.
	 * @return the endpoint
	 */
	public WorkerNioEndpoint getWorkerEndpoint() {
		return (WorkerNioEndpoint) getEndpoint();
	}

}
