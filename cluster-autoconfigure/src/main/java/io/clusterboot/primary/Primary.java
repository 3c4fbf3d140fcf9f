package io.clusterboot.primary;

import java.io.IOException;
import java.util.List;

import io.clusterboot.ClusterProperties;
import io.clusterboot.primary.socket.ClusterSocket;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.MetricsReply;
import io.clusterboot.protocol.ControlMessage.MetricsRequest;
import io.clusterboot.protocol.ControlMessage.StatusReply;
import io.clusterboot.protocol.ControlMessage.StatusRequest;

/**
 * The primary process: the control channel, the supervisor and the signals that drive
 * it, around the socket the workers serve.
 */
public final class Primary {

	private Primary() {
	}

	/**
	 * Run the cluster until it is stopped by a signal or fails.
	 * @param properties the cluster configuration
	 * @param instances the number of workers to start
	 * @param workerCommand the command line that launches a worker
	 * @param socket the port the workers serve; closed when the cluster stops
	 * @throws CrashLoopException if workers kept failing right after they started
	 * @throws IOException if the control channel cannot be opened
	 * @throws InterruptedException if interrupted; every worker is killed
	 */
	public static void run(ClusterProperties properties, int instances, List<String> workerCommand,
			ClusterSocket socket) throws IOException, InterruptedException {
		try (socket; ControlServer control = ControlServer.open()) {
			WorkerLauncher launcher = new ProcessWorkerLauncher(workerCommand, socket, control,
					properties.isShareProcessors());
			Supervisor supervisor = new Supervisor(properties, instances, launcher, Ticker.SYSTEM,
					socket.listen().name().toLowerCase(), socket.describe(), PrimaryFootprint::shrink);
			control.serve(new ControlListener(supervisor, new MetricsRelay(supervisor::readyLinks)));
			Signals.forward(supervisor::post);
			supervisor.run();
		}
	}

	/**
	 * Turns what workers send into supervisor events, except what needs no decision:
	 * status requests are answered from the last published status, and metrics requests
	 * are relayed, so that a busy loop never delays them.
	 */
	private record ControlListener(Supervisor supervisor, MetricsRelay metrics) implements ControlServer.Listener {

		@Override
		public void connected(WorkerLink link) {
			this.supervisor.post(new Event.WorkerConnected(link));
		}

		@Override
		public void received(WorkerLink link, ControlMessage message) {
			if (message instanceof StatusRequest request) {
				link.send(new StatusReply(request.requestId(), this.supervisor.status()));
			}
			else if (message instanceof MetricsRequest request) {
				this.metrics.gather(link, request);
			}
			else if (message instanceof MetricsReply reply) {
				this.metrics.received(reply);
			}
			else {
				this.supervisor.post(new Event.WorkerReported(link, message));
			}
		}

		@Override
		public void overflowed(WorkerLink link) {
			this.supervisor.post(new Event.WorkerNotReading(link));
		}

		@Override
		public void disconnected(WorkerLink link) {
		}

	}

}
