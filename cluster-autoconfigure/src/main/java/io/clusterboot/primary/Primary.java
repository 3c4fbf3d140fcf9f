package io.clusterboot.primary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.clusterboot.ClusterProperties;
import io.clusterboot.primary.snapshot.Snapshot;
import io.clusterboot.primary.socket.ClusterSocket;
import io.clusterboot.protocol.AdminSocket;
import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.ControlMessage;
import io.clusterboot.protocol.ControlMessage.Command;
import io.clusterboot.protocol.ControlMessage.CommandReply;
import io.clusterboot.protocol.ControlMessage.MetricsReply;
import io.clusterboot.protocol.ControlMessage.MetricsRequest;
import io.clusterboot.protocol.ControlMessage.StatusReply;
import io.clusterboot.protocol.ControlMessage.StatusRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The primary process: the control channel, the supervisor and the signals that drive
 * it, around the socket the workers serve.
 */
public final class Primary {

	private static final Log logger = LogFactory.getLog(Primary.class);

	private Primary() {
	}

	/**
	 * Run the cluster until it is stopped by a signal or fails.
	 * @param properties the cluster configuration
	 * @param setup the port, the control channel and the launcher, after the plan the
	 * environment gave; closed when the cluster stops
	 * @throws CrashLoopException if workers kept failing right after they started
	 * @throws InterruptedException if interrupted; every worker is killed
	 */
	public static void run(ClusterProperties properties, LaunchSetup setup) throws InterruptedException {
		try (setup) {
			PrimaryCompiler.yieldToWorkers();
			Path bootJar = setup.plan().bootJar();
			Snapshot initialVersion = setup.initialVersion();
			Versions versions = null;
			if (initialVersion != null) {
				logger.info("Workers run version " + initialVersion + " from " + initialVersion.directory()
						+ " (prepared in " + setup.preparation().toMillis() + " ms)");
				versions = new SnapshotVersions(setup.snapshots(), bootJar);
				versions.retain(List.of(initialVersion));
				LaunchedJar.Replacement replacement = LaunchedJar.detach(bootJar);
				if (replacement != null) {
					setup.snapshots().copied(bootJar, replacement.original(), replacement.copy());
				}
			}
			ClusterSocket socket = setup.socket();
			Supervisor supervisor = new Supervisor(properties, setup.plan().instances(), setup.launcher(),
					Ticker.SYSTEM, socket.listen().name().toLowerCase(), socket.describe(), PrimaryFootprint::shrink,
					SystemdNotifier.fromEnvironment(System.getenv(), ProcessHandle.current().pid()), versions,
					initialVersion);
			setup.control().serve(new ControlListener(supervisor, new MetricsRelay(supervisor::readyLinks)));
			AdminServer admin = openAdminSocket(properties, bootJar, supervisor, setup.output());
			Signals.forward(supervisor::post);
			try {
				supervisor.run();
			}
			finally {
				if (admin != null) {
					admin.close();
				}
			}
		}
	}

	/**
	 * Listen for the command line ({@code java -Djarmode=cluster -jar app.jar}), which runs
	 * without it if the socket cannot be created.
	 */
	private static AdminServer openAdminSocket(ClusterProperties properties, Path bootJar, Supervisor supervisor,
			WorkerOutput output) {
		Path socket = (properties.getAdminSocket() != null) ? properties.getAdminSocket()
				: AdminSocket.of((bootJar != null) ? AdminSocket.applicationName(bootJar) : "cluster",
						ProcessHandle.current().pid());
		try {
			AdminServer admin = AdminServer.open(socket);
			admin.serve(new AdminServer.Requests() {

				@Override
				public ClusterStatus status() {
					return supervisor.status();
				}

				@Override
				public CompletableFuture<CommandReply> command(Command command) {
					CompletableFuture<CommandReply> reply = new CompletableFuture<>();
					supervisor.post(new Event.OperatorCommand(command, reply));
					return reply;
				}

				@Override
				public WorkerOutput.Follower followLogs(int lines) {
					return output.follow(lines);
				}

				@Override
				public void unfollowLogs(WorkerOutput.Follower lines) {
					output.unfollow(lines);
				}

			});
			logger.info("Command line: java -Djarmode=cluster -jar "
					+ ((bootJar != null) ? bootJar.getFileName() : "app.jar") + " status (admin socket " + socket + ")");
			return admin;
		}
		catch (IOException ex) {
			logger.warn("No command line for this cluster: cannot listen on " + socket + ": " + ex.getMessage()
					+ " (cluster.admin-socket)");
			return null;
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
