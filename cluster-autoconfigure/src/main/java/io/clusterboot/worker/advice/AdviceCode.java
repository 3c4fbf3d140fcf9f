package io.clusterboot.worker.advice;

/**
 * The kinds of state that split when one JVM becomes N workers, as named in
 * {@code cluster.advice.ignore} and {@code cluster.advice.fail-on}.
 */
public enum AdviceCode {

	/**
	 * An in-memory database (H2, HSQLDB or Derby): each worker has its own data.
	 */
	EMBEDDED_DATABASE,

	/**
	 * HTTP sessions kept by the servlet container: a session exists only in the worker
	 * that created it.
	 */
	IN_MEMORY_SESSIONS,

	/**
	 * Scheduled tasks that every worker runs, with {@code cluster.scheduling=all}.
	 */
	SCHEDULED_TASKS,

	/**
	 * A local cache whose evictions stay in one worker, with
	 * {@code cluster.cache.coherent=false}.
	 */
	LOCAL_CACHE,

	/**
	 * Spring's simple STOMP broker with {@code cluster.stomp.relay=false}: subscribers on
	 * other workers miss messages.
	 */
	SIMPLE_BROKER,

	/**
	 * A log file that several processes would write and rotate.
	 */
	SHARED_LOG_FILE;

	/**
	 * The code as it appears in the report, such as {@code embedded-database}.
	 * @return the code
	 */
	public String code() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
