package io.clusterboot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.clusterboot.protocol.AdminSocket;
import io.clusterboot.worker.advice.AdviceCode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of cluster mode, bound from {@code cluster.*}.
 * <p>
 * The primary binds these from the prepared {@code Environment} before any application
 * context exists, so {@code application.yml}, profiles, environment variables and
 * command-line arguments all apply.
 */
@ConfigurationProperties("cluster")
public class ClusterProperties {

	/**
	 * Number of worker JVMs: 'max' or '0' for one per available processor, '-N' for all
	 * but N, 'N' for exactly N. '1' runs the application as a single JVM.
	 */
	private String instances = "1";

	/**
	 * Whether to run in cluster mode. Unset means automatic: on, except on Kubernetes,
	 * where the orchestrator already runs one container per replica.
	 */
	private Boolean enabled;

	/**
	 * How the workers share the listening port.
	 */
	private Listen listen = Listen.SHARED;

	/**
	 * How long a stopping worker may take to finish in-flight requests before it is
	 * killed.
	 */
	private Duration drainTimeout = Duration.ofSeconds(30);

	/**
	 * How long a booting worker may go without progress (no class loaded; before it
	 * connects, no CPU used) at first start, after a restart and during a rolling
	 * reload. One that does has its threads dumped and is killed: a failed start,
	 * restarted with backoff, or the end of the reload.
	 */
	private Duration readyTimeout = Duration.ofSeconds(60);

	/**
	 * How often workers report to the primary.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(1);

	/**
	 * How long a worker may stay silent before it is considered stuck, has its threads
	 * dumped, and is replaced: no heartbeat, and while it boots, no CPU used either.
	 */
	private Duration heartbeatTimeout = Duration.ofSeconds(30);

	/**
	 * Resident memory above which a worker is replaced. Unset means no limit.
	 */
	private DataSize maxMemory;

	/**
	 * Number of requests after which a worker is replaced. 0 means no limit.
	 */
	private long maxRequests;

	/**
	 * Random extra requests, up to this many, added to max-requests per worker, so that
	 * workers do not recycle together.
	 */
	private long maxRequestsJitter;

	/**
	 * Extra JVM options for workers, appended after the primary's own: one option per
	 * entry, such as -Xmx256m,-XX:+UseG1GC.
	 */
	private List<String> workerJvmOptions = new ArrayList<>();

	/**
	 * Whether to tell each worker JVM that its share of the processors is all it has
	 * (-XX:ActiveProcessorCount), unless the JVM options already set it.
	 */
	private boolean shareProcessors = true;

	/**
	 * Whether to give workers lean defaults, unless their launch sets them:
	 * MALLOC_ARENA_MAX=2, where the JVM has it -XX:TrimNativeHeapInterval=5000, C2
	 * thresholds ten times the JVM's, -XX:MetaspaceSize=128m, and, unless the launch
	 * sizes the heap, an initial heap of 1/N of what one JVM would start with.
	 */
	private boolean leanWorkers = true;

	/**
	 * Whether a start launches its workers as soon as Spring Boot starts, before the
	 * configuration is read, following the plan the previous start of the same command
	 * line recorded next to the snapshots. The plan is checked against the configuration
	 * once it is read: workers launched from a plan that no longer holds are stopped,
	 * about a second into their boot, and launched again as configured.
	 */
	private boolean launchAhead = true;

	/**
	 * Nice value, 0 to 19, that the workers a reload, recycle or restart replaces take
	 * when it starts (a reload: when it is asked for, while the new version is unpacked),
	 * so that their replacements get the CPU first and boot faster under load. They keep
	 * it until they exit. 0 turns this off.
	 */
	private int replacedNiceness = 10;

	/**
	 * Nice value, 0 to 19, of the threads that serve a worker's requests (Tomcat's). The
	 * JIT's compiler threads keep 0, so that a new worker compiles its request path ahead
	 * of the requests waiting for it instead of getting one share of the CPU among dozens
	 * of busy request threads; once that is compiled, they are idle. Linux only. 0 turns
	 * this off.
	 */
	private int requestNiceness = 5;

	/**
	 * How many replacements a reload boots at once, above the instance count: 1 replaces
	 * the workers one by one; the instance count or more replaces them all at once, as
	 * gunicorn's HUP does. Each replacement costs the memory of a worker until the worker
	 * it replaces has drained; beyond the first, one boots only while the machine has
	 * that worker's memory available for each replacement booting together.
	 */
	private int maxSurge = 2;

	/**
	 * Whether workers of each version use a class-data archive (AppCDS, or the AOT cache
	 * on JDK 25 and later), trained in the background once the cluster serves. Needs
	 * versioned snapshots.
	 */
	private boolean classDataSharing = true;

	/**
	 * Which workers run Spring's scheduled tasks: 'lead', only the lead worker, and they
	 * move with it when it is replaced or dies; or 'all', every worker.
	 */
	private Scheduling scheduling = Scheduling.LEAD;

	/**
	 * Whether each worker is pinned to one CPU: worker i to the i-th of the CPUs the
	 * primary may use, round robin. Needs Linux.
	 */
	private boolean cpuAffinity;

	/**
	 * Unix domain socket where the primary listens for its command line (java
	 * -Djarmode=cluster -jar app.jar). By default, one per primary in
	 * $XDG_RUNTIME_DIR/cluster-spring-boot, or in the temporary directory per user.
	 */
	private Path adminSocket;

	private final Restart restart = new Restart();

	private final Snapshots snapshots = new Snapshots();

	private final Cache cache = new Cache();

	private final Stomp stomp = new Stomp();

	private final Advice advice = new Advice();

	private final WarmUp warmUp = new WarmUp();

	public String getInstances() {
		return this.instances;
	}

	public void setInstances(String instances) {
		this.instances = instances;
	}

	public Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(Boolean enabled) {
		this.enabled = enabled;
	}

	public Listen getListen() {
		return this.listen;
	}

	public void setListen(Listen listen) {
		this.listen = listen;
	}

	public Duration getDrainTimeout() {
		return this.drainTimeout;
	}

	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	public Duration getReadyTimeout() {
		return this.readyTimeout;
	}

	public void setReadyTimeout(Duration readyTimeout) {
		this.readyTimeout = readyTimeout;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getHeartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	public void setHeartbeatTimeout(Duration heartbeatTimeout) {
		this.heartbeatTimeout = heartbeatTimeout;
	}

	public DataSize getMaxMemory() {
		return this.maxMemory;
	}

	public void setMaxMemory(DataSize maxMemory) {
		this.maxMemory = maxMemory;
	}

	public long getMaxRequests() {
		return this.maxRequests;
	}

	public void setMaxRequests(long maxRequests) {
		this.maxRequests = maxRequests;
	}

	public long getMaxRequestsJitter() {
		return this.maxRequestsJitter;
	}

	public void setMaxRequestsJitter(long maxRequestsJitter) {
		this.maxRequestsJitter = maxRequestsJitter;
	}

	public List<String> getWorkerJvmOptions() {
		return this.workerJvmOptions;
	}

	public void setWorkerJvmOptions(List<String> workerJvmOptions) {
		this.workerJvmOptions = workerJvmOptions;
	}

	public boolean isShareProcessors() {
		return this.shareProcessors;
	}

	public void setShareProcessors(boolean shareProcessors) {
		this.shareProcessors = shareProcessors;
	}

	public boolean isLeanWorkers() {
		return this.leanWorkers;
	}

	public void setLeanWorkers(boolean leanWorkers) {
		this.leanWorkers = leanWorkers;
	}

	public boolean isLaunchAhead() {
		return this.launchAhead;
	}

	public void setLaunchAhead(boolean launchAhead) {
		this.launchAhead = launchAhead;
	}

	public boolean isClassDataSharing() {
		return this.classDataSharing;
	}

	public void setClassDataSharing(boolean classDataSharing) {
		this.classDataSharing = classDataSharing;
	}

	public int getMaxSurge() {
		return this.maxSurge;
	}

	public void setMaxSurge(int maxSurge) {
		this.maxSurge = maxSurge;
	}

	public int getRequestNiceness() {
		return this.requestNiceness;
	}

	public void setRequestNiceness(int requestNiceness) {
		this.requestNiceness = requestNiceness;
	}

	public int getReplacedNiceness() {
		return this.replacedNiceness;
	}

	public void setReplacedNiceness(int replacedNiceness) {
		this.replacedNiceness = replacedNiceness;
	}

	public Restart getRestart() {
		return this.restart;
	}

	public Scheduling getScheduling() {
		return this.scheduling;
	}

	public void setScheduling(Scheduling scheduling) {
		this.scheduling = scheduling;
	}

	public boolean isCpuAffinity() {
		return this.cpuAffinity;
	}

	public void setCpuAffinity(boolean cpuAffinity) {
		this.cpuAffinity = cpuAffinity;
	}

	public Path getAdminSocket() {
		return this.adminSocket;
	}

	public void setAdminSocket(Path adminSocket) {
		this.adminSocket = adminSocket;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Stomp getStomp() {
		return this.stomp;
	}

	public Advice getAdvice() {
		return this.advice;
	}

	public WarmUp getWarmUp() {
		return this.warmUp;
	}

	public Snapshots getSnapshots() {
		return this.snapshots;
	}

	/**
	 * Which workers run Spring's scheduled tasks.
	 */
	public enum Scheduling {

		/**
		 * Only the lead worker: a task runs once per period, as in one JVM.
		 */
		LEAD,

		/**
		 * Every worker: a task runs once per period in each worker.
		 */
		ALL

	}

	/**
	 * Local caches across workers.
	 */
	public static class Cache {

		/**
		 * Whether evictions and clears of local Spring caches (ConcurrentMap, Caffeine,
		 * JCache on Caffeine or Ehcache) evict the entry in every other worker too. Best
		 * effort: relayed through the primary, not acknowledged.
		 */
		private boolean coherent = true;

		public boolean isCoherent() {
			return this.coherent;
		}

		public void setCoherent(boolean coherent) {
			this.coherent = coherent;
		}

	}

	/**
	 * STOMP messaging across workers.
	 */
	public static class Stomp {

		/**
		 * Whether a message sent to Spring's simple STOMP broker in one worker reaches
		 * the subscribers in every worker, relayed through the primary. At most once, in
		 * order per sending worker.
		 */
		private boolean relay = true;

		public boolean isRelay() {
			return this.relay;
		}

		public void setRelay(boolean relay) {
			this.relay = relay;
		}

	}

	/**
	 * Requests that a worker sends itself before it reports READY.
	 */
	public static class WarmUp {

		/**
		 * Paths, as clients request them, that a booting worker requests (GET) from
		 * itself on a private loopback port before it reports READY, so that it has
		 * compiled its request path when it takes over from the worker it replaces. Each is
		 * requested thousands of times: list only requests that are safe to repeat. Empty,
		 * the default: no warm-up.
		 */
		private List<String> requests = new ArrayList<>();

		/**
		 * How long a worker sends itself the warm-up requests. Shorter than
		 * cluster.ready-timeout.
		 */
		private Duration duration = Duration.ofSeconds(10);

		public List<String> getRequests() {
			return this.requests;
		}

		public void setRequests(List<String> requests) {
			this.requests = requests;
		}

		public Duration getDuration() {
			return this.duration;
		}

		public void setDuration(Duration duration) {
			this.duration = duration;
		}

	}

	/**
	 * The cluster-readiness report.
	 */
	public static class Advice {

		/**
		 * Findings a team has accepted: they are neither logged nor listed.
		 */
		private Set<AdviceCode> ignore = new LinkedHashSet<>();

		/**
		 * Findings that stop startup, with a failure report, instead of a warning.
		 */
		private Set<AdviceCode> failOn = new LinkedHashSet<>();

		public Set<AdviceCode> getIgnore() {
			return this.ignore;
		}

		public void setIgnore(Set<AdviceCode> ignore) {
			this.ignore = ignore;
		}

		public Set<AdviceCode> getFailOn() {
			return this.failOn;
		}

		public void setFailOn(Set<AdviceCode> failOn) {
			this.failOn = failOn;
		}

	}

	public static class Snapshots {

		/**
		 * Whether workers of a boot jar run from versioned snapshots of it.
		 */
		private boolean enabled = true;

		/**
		 * Where snapshots are kept. Defaults to a directory per jar under
		 * $XDG_CACHE_HOME/cluster-spring-boot, or ~/.cache/cluster-spring-boot. It must
		 * belong to the user that runs the application, with permissions 0700.
		 */
		private Path directory;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		/**
		 * The directory of a jar's snapshots.
		 * @param bootJar the jar
		 * @return the configured directory, or one per jar path in the user's cache
		 */
		public Path directoryFor(Path bootJar) {
			if (this.directory != null) {
				return this.directory;
			}
			String cache = System.getenv("XDG_CACHE_HOME");
			Path root = (cache != null && !cache.isBlank()) ? Path.of(cache)
					: Path.of(System.getProperty("user.home"), ".cache");
			return root.resolve("cluster-spring-boot").resolve(AdminSocket.applicationName(bootJar));
		}

	}

	public enum Listen {

		/**
		 * The primary binds the port once and every worker accepts from that one socket.
		 * Queued connections survive any worker's restart.
		 */
		SHARED,

		/**
		 * Every worker binds its own socket with SO_REUSEPORT and the kernel spreads
		 * connections among them. Needs no native call; connections queued on a worker
		 * that stops can be reset unless net.ipv4.tcp_migrate_req is 1.
		 */
		REUSEPORT,

		/**
		 * Sticky sessions: the primary binds one SO_REUSEPORT socket per worker and the
		 * kernel routes every connection from one client address to the same worker.
		 * Queued connections wait for a restarting worker. Needs Linux.
		 */
		STICKY

	}

	/**
	 * Restart policy for workers that exit unexpectedly.
	 */
	public static class Restart {

		/**
		 * Delay before the first restart of a worker; doubles with each consecutive
		 * failure.
		 */
		private Duration initialDelay = Duration.ofMillis(100);

		/**
		 * Upper bound of the restart delay.
		 */
		private Duration maxDelay = Duration.ofSeconds(10);

		/**
		 * How long a worker must stay READY to count as a stable run, which resets its
		 * restart delay and failure count.
		 */
		private Duration minUptime = Duration.ofSeconds(10);

		/**
		 * How many times in a row a worker may fail before it became stable before the
		 * cluster gives up and stops with a non-zero exit code.
		 */
		private int maxRestarts = 5;

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Duration getMinUptime() {
			return this.minUptime;
		}

		public void setMinUptime(Duration minUptime) {
			this.minUptime = minUptime;
		}

		public int getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(int maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

	}

}
