package io.clusterboot;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.clusterboot.primary.InstanceCount;
import io.clusterboot.primary.JvmLaunch;
import io.clusterboot.primary.LaunchPlan;
import io.clusterboot.primary.LaunchSetup;
import io.clusterboot.primary.Primary;
import io.clusterboot.primary.PrimaryCompiler;
import io.clusterboot.primary.WorkerCommand;
import io.clusterboot.primary.socket.SharedSocket;
import io.clusterboot.primary.socket.SocketActivation;
import io.clusterboot.protocol.WorkerContract;
import io.clusterboot.worker.WorkerAgent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Decides, once the environment is prepared and before any bean exists, whether this JVM
 * runs the application itself (single or worker) or becomes the cluster's primary. A
 * primary never returns: it supervises the workers until it is stopped, then exits.
 * <p>
 * Reading the configuration takes a second of a start; so when the application starts,
 * workers are already launched as the previous start of the same command line planned
 * them, and the decision keeps them only if the environment plans the same.
 */
public class ClusterLauncher implements ApplicationListener<SpringApplicationEvent>, Ordered {

	private static final Log logger = LogFactory.getLog(ClusterLauncher.class);

	private static final String TOMCAT_CLASS = "org.apache.catalina.startup.Tomcat";

	/**
	 * The name under which a worker's context holds its {@link WorkerAgent}.
	 */
	public static final String WORKER_AGENT_BEAN = "clusterWorkerAgent";

	private static final AtomicBoolean decided = new AtomicBoolean();

	/**
	 * A space before another {@code -X} or {@code -D} option, as in {@code -Xmx512m -Xss1m}.
	 */
	private static final Pattern SEVERAL_JVM_OPTIONS = Pattern.compile("\\s+-[XD]");

	/**
	 * Workers launched at the start from the previous start's plan, until the decision.
	 */
	private LaunchedAhead launchedAhead;

	/**
	 * Why this start launched nothing ahead, for the decision to log.
	 */
	private String notLaunchedAhead = "no plan of a previous start";

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (event instanceof ApplicationStartingEvent starting && !decided.get()) {
			launchAhead(starting);
		}
		else if (event instanceof ApplicationEnvironmentPreparedEvent prepared && decided.compareAndSet(false, true)) {
			LaunchedAhead ahead = this.launchedAhead;
			this.launchedAhead = null;
			try {
				decide(prepared, ahead);
			}
			catch (RuntimeException ex) {
				if (ahead != null) {
					ahead.setup().abandon();
				}
				throw ex;
			}
		}
	}

	/**
	 * Launch the workers the previous start of this command line planned, if it recorded
	 * a plan. Logging is not initialized yet: what happens is logged by the decision.
	 */
	private void launchAhead(ApplicationStartingEvent event) {
		if (WorkerContract.current().isPresent() || isTestOrDevtoolsRun()
				|| !isServletOnTomcat(event.getSpringApplication())) {
			return;
		}
		if (SocketActivation.listeningSocket(System.getenv(), ProcessHandle.current().pid()).isPresent()) {
			this.notLaunchedAhead = "systemd passed the socket";
			return;
		}
		List<String> args = List.of(event.getArgs());
		try {
			JvmLaunch launch = JvmLaunch.current(args);
			Path planFile = LaunchPlan.fileFor(launchCommand(launch), System.getenv());
			if (planFile == null) {
				this.notLaunchedAhead = "not a boot jar";
				return;
			}
			LaunchPlan plan = LaunchPlan.load(planFile);
			if (plan == null) {
				return;
			}
			if (!WorkerCommand.of(launch, plan.workerJvmOptions(), ignored()).equals(plan.workerCommand())) {
				this.notLaunchedAhead = "the launch differs from the plan's in " + planFile;
				return;
			}
			this.launchedAhead = new LaunchedAhead(LaunchSetup.launchAhead(plan), planFile);
		}
		catch (IOException | RuntimeException ex) {
			this.notLaunchedAhead = String.valueOf(ex.getMessage());
		}
	}

	/**
	 * This JVM's command line, as a worker's without {@code cluster.worker-jvm-options}:
	 * what identifies a start's plan.
	 */
	private static List<String> launchCommand(JvmLaunch launch) {
		return WorkerCommand.of(launch, List.of(), ignored());
	}

	private static Consumer<String> ignored() {
		return (warning) -> {
		};
	}

	private void decide(ApplicationEnvironmentPreparedEvent event, LaunchedAhead ahead) {
		ConfigurableEnvironment environment = event.getEnvironment();
		ClusterProperties properties = Binder.get(environment).bindOrCreate("cluster", ClusterProperties.class);
		Optional<WorkerContract> worker = WorkerContract.current();
		if (worker.isPresent()) {
			startWorkerAgent(event.getSpringApplication(), worker.get(), properties);
			return;
		}
		int instances = InstanceCount.resolve("cluster.instances", properties.getInstances(),
				Runtime.getRuntime().availableProcessors());
		if (instances > 1 && runsAsCluster(event, environment, properties)) {
			validate(properties, environment);
			runPrimary(event, environment, properties, instances, ahead);
		}
		else if (ahead != null) {
			logger.info("Stopping the workers launched ahead of the configuration: this start runs one JVM");
			ahead.setup().abandon();
			PrimaryCompiler.restore();
			forget(ahead.planFile());
		}
	}

	/**
	 * Connect to the primary before the application context exists, so that a worker
	 * heartbeats while it boots, and hand the agent to the context.
	 */
	private static void startWorkerAgent(SpringApplication application, WorkerContract worker,
			ClusterProperties properties) {
		try {
			WorkerAgent agent = WorkerAgent.start(worker, properties.getHeartbeatInterval());
			application.addInitializers((context) -> {
				context.getBeanFactory().registerSingleton(WORKER_AGENT_BEAN, agent);
				context.addApplicationListener(agent);
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException("Worker " + worker.id() + " cannot reach its cluster primary at "
					+ worker.controlSocket() + ": " + ex.getMessage(), ex);
		}
	}

	static void validate(ClusterProperties properties, ConfigurableEnvironment environment) {
		requirePositive("cluster.drain-timeout", properties.getDrainTimeout());
		requirePositive("cluster.ready-timeout", properties.getReadyTimeout());
		requirePositive("cluster.heartbeat-interval", properties.getHeartbeatInterval());
		if (properties.getHeartbeatTimeout().compareTo(properties.getHeartbeatInterval()) <= 0) {
			throw new InvalidConfigurationPropertyValueException("cluster.heartbeat-timeout",
					properties.getHeartbeatTimeout(), "It must be longer than cluster.heartbeat-interval ("
							+ properties.getHeartbeatInterval() + ")");
		}
		requirePositive("cluster.restart.initial-delay", properties.getRestart().getInitialDelay());
		if (properties.getRestart().getMaxDelay().compareTo(properties.getRestart().getInitialDelay()) < 0) {
			throw new InvalidConfigurationPropertyValueException("cluster.restart.max-delay",
					properties.getRestart().getMaxDelay(), "It must not be shorter than cluster.restart.initial-delay");
		}
		if (properties.getRestart().getMinUptime().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("cluster.restart.min-uptime",
					properties.getRestart().getMinUptime(), "It must not be negative");
		}
		requireNotNegative("cluster.restart.max-restarts", properties.getRestart().getMaxRestarts());
		requireNiceness("cluster.replaced-niceness", properties.getReplacedNiceness());
		requireNiceness("cluster.request-niceness", properties.getRequestNiceness());
		if (properties.getMaxSurge() < 1) {
			throw new InvalidConfigurationPropertyValueException("cluster.max-surge", properties.getMaxSurge(),
					"It must be at least 1 (one replacement at a time); the instance count or more replaces every "
							+ "worker at once");
		}
		validateWarmUp(properties.getWarmUp(), properties.getReadyTimeout());
		properties.getWorkerJvmOptions().forEach(ClusterLauncher::requireJvmOption);
		requireNotNegative("cluster.max-requests", properties.getMaxRequests());
		requireNotNegative("cluster.max-requests-jitter", properties.getMaxRequestsJitter());
		if (properties.getMaxMemory() != null && properties.getMaxMemory().toBytes() <= 0) {
			throw new InvalidConfigurationPropertyValueException("cluster.max-memory", properties.getMaxMemory(),
					"It must be a positive size, such as 512MB");
		}
		String managementPort = environment.getProperty("management.server.port");
		if (managementPort != null && !managementPort.equals("-1")
				&& !managementPort.equals(environment.getProperty("server.port", "8080"))) {
			throw new InvalidConfigurationPropertyValueException("management.server.port", managementPort,
					"Cluster mode serves actuator on the application's shared port; a separate management port "
							+ "would be bound by every worker. Remove it, or set cluster.instances=1");
		}
	}

	/**
	 * An entry of {@code cluster.worker-jvm-options} is one option: a blank entry (left by
	 * a trailing comma) or a space-separated list in one entry would otherwise reach the
	 * workers' command line, where the JVM takes it for the main class or refuses it, and
	 * every worker fails to boot.
	 */
	private static void requireJvmOption(String option) {
		if (!option.startsWith("-")) {
			throw new InvalidConfigurationPropertyValueException("cluster.worker-jvm-options", option,
					"Each entry is one JVM option that starts with '-', such as -Xmx512m; entries are separated by "
							+ "commas, and none is empty");
		}
		if (SEVERAL_JVM_OPTIONS.matcher(option).find()) {
			throw new InvalidConfigurationPropertyValueException("cluster.worker-jvm-options", option,
					"Each entry is one JVM option: separate options with commas, as in -Xmx512m,-XX:+UseG1GC");
		}
	}

	private static void requireNiceness(String name, int niceness) {
		if (niceness < 0 || niceness > 19) {
			throw new InvalidConfigurationPropertyValueException(name, niceness,
					"It must be a nice value from 0 (off) to 19");
		}
	}

	private static void validateWarmUp(ClusterProperties.WarmUp warmUp, Duration readyTimeout) {
		for (String request : warmUp.getRequests()) {
			if (!request.startsWith("/")) {
				throw new InvalidConfigurationPropertyValueException("cluster.warm-up.requests", request,
						"Each is a path that starts with '/', such as /hello or /api/prices?currency=EUR, requested "
								+ "from the worker itself");
			}
		}
		requirePositive("cluster.warm-up.duration", warmUp.getDuration());
		if (warmUp.getDuration().compareTo(readyTimeout) >= 0) {
			throw new InvalidConfigurationPropertyValueException("cluster.warm-up.duration", warmUp.getDuration(),
					"It must be shorter than cluster.ready-timeout (" + readyTimeout
							+ "), which would stop a worker that warms up without loading classes");
		}
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must be a positive duration");
		}
	}

	private static void requireNotNegative(String property, long value) {
		if (value < 0) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must not be negative");
		}
	}

	private boolean runsAsCluster(ApplicationEnvironmentPreparedEvent event, ConfigurableEnvironment environment,
			ClusterProperties properties) {
		if (Boolean.FALSE.equals(properties.getEnabled())) {
			return false;
		}
		if (isTestOrDevtoolsRun()) {
			logger.debug("Running as a single JVM: started by a test framework or by devtools");
			return false;
		}
		if (properties.getEnabled() == null && CloudPlatform.getActive(environment) == CloudPlatform.KUBERNETES) {
			logger.info("Running as a single JVM on Kubernetes, which runs one container per replica; "
					+ "set cluster.enabled=true to run workers anyway");
			return false;
		}
		if (!isServletOnTomcat(event.getSpringApplication())) {
			logger.warn("Running as a single JVM: cluster mode supports servlet applications on Tomcat");
			return false;
		}
		if (properties.getListen() == ClusterProperties.Listen.SHARED && !SharedSocket.isSupported()) {
			logger.warn("Running as a single JVM: cluster.listen=shared needs Linux");
			return false;
		}
		return true;
	}

	private static boolean isServletOnTomcat(SpringApplication application) {
		return application.getWebApplicationType() == WebApplicationType.SERVLET
				&& ClassUtils.isPresent(TOMCAT_CLASS, ClusterLauncher.class.getClassLoader());
	}

	private static boolean isTestOrDevtoolsRun() {
		if (Thread.currentThread().getContextClassLoader().getClass().getName().endsWith("RestartClassLoader")) {
			return true;
		}
		return StackWalker.getInstance()
			.walk((frames) -> frames.map(StackWalker.StackFrame::getClassName)
				.anyMatch((name) -> name.startsWith("org.springframework.boot.test.")
						|| name.startsWith("org.springframework.test.") || name.startsWith("org.junit.")));
	}

	private void runPrimary(ApplicationEnvironmentPreparedEvent event, ConfigurableEnvironment environment,
			ClusterProperties properties, int instances, LaunchedAhead ahead) {
		JvmLaunch launch = JvmLaunch.current(List.of(event.getArgs()));
		List<String> command = WorkerCommand.of(launch, properties.getWorkerJvmOptions(), logger::warn);
		InetAddress address = environment.getProperty("server.address", InetAddress.class);
		int port = environment.getProperty("server.port", Integer.class, 8080);
		if (port < 0 || port > 65535) {
			throw new InvalidConfigurationPropertyValueException("server.port", port,
					"It must be a port from 0 (any free port) to 65535");
		}
		int backlog = environment.getProperty("server.tomcat.accept-count", Integer.class, 100);
		LaunchPlan plan = LaunchPlan.of(properties, instances, command, address, port, backlog);
		try {
			LaunchSetup setup = (ahead != null) ? ahead.adoptIf(plan, properties.isLaunchAhead()) : null;
			if (setup == null) {
				logger.debug("Launching workers now, not ahead: " + this.notLaunchedAhead);
				setup = open(plan);
			}
			record(plan, properties.isLaunchAhead(), LaunchPlan.fileFor(launchCommand(launch), System.getenv()));
			Primary.run(properties, setup);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Cluster primary interrupted", ex);
		}
		System.exit(0);
	}

	private static LaunchSetup open(LaunchPlan plan) throws IOException {
		OptionalInt activated = SocketActivation.listeningSocket(System.getenv(), ProcessHandle.current().pid());
		LaunchSetup setup = LaunchSetup.open(plan, activated);
		if (activated.isPresent()) {
			logger.info("Serving the socket systemd passed (socket activation, " + setup.describeSocket()
					+ "); server.port and server.address are not used");
		}
		return setup;
	}

	/**
	 * Record the plan for the next start of this command line, or forget it if launching
	 * ahead is off. Without a plan, the next start launches its workers once the
	 * environment is ready, as usual.
	 */
	private static void record(LaunchPlan plan, boolean launchAhead, Path file) {
		if (file == null) {
			return;
		}
		if (!launchAhead) {
			forget(file);
			return;
		}
		try {
			plan.save(file);
		}
		catch (IOException ex) {
			logger.debug("Cannot record the launch plan in " + file + ": " + ex.getMessage());
		}
	}

	/**
	 * Delete a plan, so that the next start of its command line launches nothing ahead: a
	 * start that runs one JVM would otherwise launch workers only to stop them, every
	 * time.
	 */
	private static void forget(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.debug("Cannot delete the launch plan " + file + ": " + ex.getMessage());
		}
	}

	@Override
	public int getOrder() {
		// Once logging is initialized, so that the primary can log
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	/**
	 * Workers launched from a recorded plan.
	 *
	 * @param setup what was opened to launch them
	 * @param planFile the plan they followed
	 */
	private record LaunchedAhead(LaunchSetup setup, Path planFile) {

		/**
		 * Keep the workers if the environment plans what they follow; stop them if not.
		 * @param plan the environment's plan
		 * @param enabled {@code cluster.launch-ahead}
		 * @return the setup to run, or {@code null} once they are stopped
		 */
		LaunchSetup adoptIf(LaunchPlan plan, boolean enabled) {
			Set<String> differences = this.setup.plan().differencesFrom(plan);
			String reason = !enabled ? "cluster.launch-ahead=false"
					: !differences.isEmpty() ? "the configuration changed " + differences : null;
			if (reason == null) {
				logger.info("Launched " + plan.instances() + " workers " + this.setup.launchedAhead().toMillis()
						+ " ms into the start, as the previous start planned (" + this.planFile + ")");
				return this.setup;
			}
			logger.info("Stopping the workers launched ahead of the configuration, to launch them again: " + reason);
			this.setup.abandon();
			return null;
		}

	}

}
