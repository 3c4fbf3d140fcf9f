package io.clusterboot.protocol;

import java.time.Instant;
import java.util.List;

/**
 * The whole cluster as the primary knows it: what {@code GET /actuator/cluster} returns.
 *
 * @param mode {@code cluster} or {@code single}
 * @param listen how workers share the port, {@code shared}, {@code reuseport} or {@code sticky}
 * @param address the listening address, such as {@code [::]:8080}
 * @param primary the primary process
 * @param desired how many workers should be serving
 * @param version the version workers run, and the previous one, when the primary runs
 * versions of a boot jar
 * @param workers every worker process, ordered by id
 * @param reload the running or most recent rolling replacement, if any
 * @param reloads how many reloads were started
 * @param events recent events, oldest first
 * @param advice the cluster-readiness report: what the workers found that splits
 * across them, except what {@code cluster.advice.ignore} names
 */
public record ClusterStatus(String mode, String listen, String address, Primary primary, int desired,
		Versions version, List<Worker> workers, Reload reload, int reloads, List<Event> events, List<Advice> advice) {

	/**
	 * The status of an application that is not running as a cluster.
	 * @param pid this process
	 * @param startedAt when this process started
	 * @return a status in mode {@code single}
	 */
	public static ClusterStatus single(long pid, Instant startedAt) {
		return new ClusterStatus("single", null, null, new Primary(pid, startedAt), 1, null, List.of(), null, 0,
				List.of(), List.of());
	}

	/**
	 * The primary process.
	 *
	 * @param pid its process id
	 * @param startedAt when it started
	 */
	public record Primary(long pid, Instant startedAt) {
	}

	/**
	 * The versions of the application.
	 *
	 * @param current the version new workers run, such as {@code 1.4.2 (3f9a0c1b2d4e)}:
	 * the {@code build-info} version and the start of the jar's SHA-256
	 * @param previous the version before it, which a rollback returns to
	 */
	public record Versions(String current, String previous) {
	}

	/**
	 * One worker process.
	 *
	 * @param id the worker id, 1 to N, kept by its replacements
	 * @param pid its process id, {@code null} while it waits to be restarted
	 * @param state its state
	 * @param generation 1 for the first process with this id, one more for each
	 * replacement
	 * @param restarts how often a worker with this id was restarted after exiting
	 * unexpectedly
	 * @param startedAt when this process was launched
	 * @param uptimeMs milliseconds since this process was launched
	 * @param heapUsedBytes heap in use at the last heartbeat
	 * @param rssBytes resident memory
	 * @param lastExitCode the exit code of the previous process with this id, if any
	 * @param lastExit how the previous process with this id ended, such as
	 * {@code exited on SIGKILL (137): killed, possibly out of memory}
	 * @param requests requests served, at the last heartbeat
	 * @param inFlight requests being served, at the last heartbeat
	 * @param cpu recent CPU use as a fraction of one core, at the last heartbeat
	 * @param version the version it runs, when the primary runs versions
	 * @param lead whether it is the lead worker, which runs scheduled tasks with
	 * {@code cluster.scheduling=lead}
	 * @param webSocketSessions WebSocket sessions open, at the last heartbeat
	 * @param pinnedCpu the CPU it is pinned to with {@code cluster.cpu-affinity}, or
	 * {@code null}
	 */
	public record Worker(int id, Long pid, WorkerState state, int generation, int restarts, Instant startedAt,
			long uptimeMs, long heapUsedBytes, long rssBytes, Integer lastExitCode, String lastExit, long requests,
			int inFlight, double cpu, String version, boolean lead, int webSocketSessions, Integer pinnedCpu) {
	}

	/**
	 * A rolling replacement of workers, new one first: a reload of all of them, or the
	 * recycling of one.
	 *
	 * @param kind {@code reload} or {@code recycle}
	 * @param state {@code running}, {@code finished} or {@code aborted}
	 * @param detail why it started, or why it was aborted
	 * @param startedAt when it started
	 * @param endedAt when it finished or was aborted
	 */
	public record Reload(String kind, String state, String detail, Instant startedAt, Instant endedAt) {
	}

	/**
	 * Something that happened in the cluster.
	 *
	 * @param at when
	 * @param type what, such as {@code exit} or {@code reload-aborted}
	 * @param workerId the worker concerned, if any
	 * @param pid the process concerned, if any
	 * @param detail a readable description
	 */
	public record Event(Instant at, String type, Integer workerId, Long pid, String detail) {
	}

}
