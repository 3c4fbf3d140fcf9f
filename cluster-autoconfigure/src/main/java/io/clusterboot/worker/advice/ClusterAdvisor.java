package io.clusterboot.worker.advice;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.clusterboot.ClusterProperties;
import io.clusterboot.ClusterProperties.Scheduling;
import io.clusterboot.protocol.Advice;
import io.clusterboot.worker.ConditionalOnLeadWorker;
import io.clusterboot.worker.cache.CoherentCaches;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.util.ClassUtils;

/**
 * Finds, in a worker's application context, the state that one JVM kept for the whole
 * application and that N workers split: what the cluster-readiness report lists at
 * startup. Findings that only show at run time come from {@link InMemorySessionsAdvisor}.
 */
public class ClusterAdvisor {

	private static final Pattern IN_MEMORY_DATABASE = Pattern.compile("^jdbc:(h2|hsqldb|derby):(mem|memory):.*",
			Pattern.CASE_INSENSITIVE);

	private static final Map<String, String> DATABASE_NAMES = Map.of("h2", "H2", "hsqldb", "HSQLDB", "derby",
			"Derby");

	private static final String SIMPLE_BROKER = "org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler";

	private final ListableBeanFactory beans;

	private final ClusterProperties properties;

	private final LogFiles logFiles;

	/**
	 * Create an advisor.
	 * @param beans the application's beans
	 * @param properties the cluster configuration
	 * @param logFiles the files this process's logging writes
	 */
	public ClusterAdvisor(ListableBeanFactory beans, ClusterProperties properties, LogFiles logFiles) {
		this.beans = beans;
		this.properties = properties;
		this.logFiles = logFiles;
	}

	/**
	 * The findings at startup, once every singleton exists.
	 * @return the findings, in a stable order
	 */
	public List<Advice> findings() {
		List<Advice> findings = new ArrayList<>();
		embeddedDatabases(findings);
		scheduledTasks(findings);
		localCaches(findings);
		simpleBroker(findings);
		sharedLogFiles(findings);
		return findings;
	}

	private void embeddedDatabases(List<Advice> findings) {
		this.beans.getBeansOfType(DataSource.class, false, false).forEach((name, dataSource) -> {
			String url = urlOf(dataSource);
			Matcher inMemory = (url != null) ? IN_MEMORY_DATABASE.matcher(url) : null;
			if (inMemory != null && inMemory.matches()) {
				// The subject leaves out the database name, which Spring Boot may generate per worker
				String database = DATABASE_NAMES.get(inMemory.group(1).toLowerCase(Locale.ROOT));
				findings.add(new Advice(AdviceCode.EMBEDDED_DATABASE.code(),
						"DataSource '" + name + "' (" + database + " in memory)",
						"Each worker has its own in-memory database (" + url + " here): what one worker writes, "
								+ "the others never see, so data appears and disappears from request to request.",
						"Use a database server that every worker connects to (PostgreSQL, MySQL, or H2 in server "
								+ "mode), or run a single worker (cluster.instances=1)."));
			}
		});
	}

	private static String urlOf(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getURL();
		}
		catch (SQLException | RuntimeException ex) {
			return null;
		}
	}

	private void scheduledTasks(List<Advice> findings) {
		if (this.properties.getScheduling() != Scheduling.ALL) {
			return;
		}
		for (ScheduledTaskHolder holder : this.beans.getBeansOfType(ScheduledTaskHolder.class, false, false)
			.values()) {
			for (ScheduledTask task : holder.getScheduledTasks()) {
				if (!runsInOneWorker(task)) {
					findings.add(new Advice(AdviceCode.SCHEDULED_TASKS.code(), task.toString(),
							"Every worker runs this scheduled task, so it runs once per period in each worker "
									+ "(cluster.scheduling=all).",
							"Set cluster.scheduling=lead to run scheduled tasks in the lead worker only, or guard "
									+ "this one with a lock in a shared store (ShedLock)."));
				}
			}
		}
	}

	/**
	 * Whether the task is a method of a class that only the lead worker has. Spring
	 * names a scheduled method's task by its class and method.
	 */
	private boolean runsInOneWorker(ScheduledTask task) {
		String name = task.toString();
		int dot = name.lastIndexOf('.');
		ClassLoader loader = getClass().getClassLoader();
		if (dot < 0 || !ClassUtils.isPresent(name.substring(0, dot), loader)) {
			return false;
		}
		return AnnotatedElementUtils.hasAnnotation(ClassUtils.resolveClassName(name.substring(0, dot), loader),
				ConditionalOnLeadWorker.class);
	}

	private void localCaches(List<Advice> findings) {
		if (this.properties.getCache().isCoherent()) {
			return;
		}
		this.beans.getBeansOfType(CacheManager.class, false, false).forEach((name, manager) -> {
			if (isLocal(manager)) {
				findings.add(new Advice(AdviceCode.LOCAL_CACHE.code(), "CacheManager '" + name + "'",
						"Each worker has its own copy of these caches: an eviction in one worker leaves the others "
								+ "serving the old value (cluster.cache.coherent=false).",
						"Set cluster.cache.coherent=true to send evictions to every worker, or use a shared "
								+ "cache (Redis)."));
			}
		});
	}

	private static boolean isLocal(CacheManager manager) {
		String type = ClassUtils.getUserClass(manager).getName();
		if (type.endsWith(".ConcurrentMapCacheManager") || type.endsWith(".CaffeineCacheManager")) {
			return true;
		}
		return manager.getCacheNames().stream().map(manager::getCache).anyMatch(ClusterAdvisor::isLocalCache);
	}

	private static boolean isLocalCache(Cache cache) {
		return cache != null && CoherentCaches.isLocal(cache);
	}

	private void simpleBroker(List<Advice> findings) {
		ClassLoader loader = getClass().getClassLoader();
		if (this.properties.getStomp().isRelay() || !ClassUtils.isPresent(SIMPLE_BROKER, loader)) {
			return;
		}
		Map<String, ?> brokers = this.beans.getBeansOfType(ClassUtils.resolveClassName(SIMPLE_BROKER, loader), false,
				false);
		brokers.keySet()
			.forEach((name) -> findings.add(new Advice(AdviceCode.SIMPLE_BROKER.code(), "Simple broker '" + name + "'",
					"Spring's simple STOMP broker only knows the subscribers of its own worker: a message sent "
							+ "in one worker misses the clients connected to the others.",
					"Set cluster.stomp.relay=true, the default, to relay its messages to every worker, or use a "
							+ "broker relay (enableStompBrokerRelay) to RabbitMQ or ActiveMQ.")));
	}

	private void sharedLogFiles(List<Advice> findings) {
		for (String file : this.logFiles.sharedWithOtherProcesses()) {
			findings.add(new Advice(AdviceCode.SHARED_LOG_FILE.code(), file,
					"Every worker writes and rotates this log file: processes that rotate one file lose lines.",
					"Configure the file through logging.file.name or logging.file.path, which give each process its "
							+ "own file, or log to the console."));
		}
	}

}
