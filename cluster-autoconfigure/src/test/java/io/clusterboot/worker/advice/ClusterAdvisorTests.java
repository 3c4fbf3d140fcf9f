package io.clusterboot.worker.advice;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.clusterboot.ClusterProperties;
import io.clusterboot.protocol.Advice;
import io.clusterboot.worker.ConditionalOnLeadWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ClusterAdvisorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(AdvisorConfiguration.class);

	@ParameterizedTest
	@CsvSource({ "jdbc:h2:mem:testdb, H2", "jdbc:h2:mem:5f2b8a1e-4c1d-4e8e-9a7b-1f0c2d3e4f5a, H2",
			"jdbc:hsqldb:mem:testdb, HSQLDB", "'jdbc:derby:memory:testdb;create=true', Derby" })
	void anInMemoryDatabaseIsFoundUnderOneSubjectInEveryWorker(String url, String database) throws SQLException {
		DataSource dataSource = dataSource(url);
		this.runner.withBean("dataSource", DataSource.class, () -> dataSource).run((context) -> {
			List<Advice> findings = context.getBean(ClusterAdvisor.class).findings();
			assertThat(findings).singleElement().satisfies((advice) -> {
				assertThat(advice.code()).isEqualTo("embedded-database");
				assertThat(advice.subject()).isEqualTo("DataSource 'dataSource' (" + database + " in memory)");
				assertThat(advice.message()).contains("Each worker has its own in-memory database (" + url + " here)");
				assertThat(advice.remedy()).contains("database server");
			});
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc:postgresql://localhost/app", "jdbc:h2:tcp://localhost/~/app" })
	void aDatabaseServerIsFine(String url) throws SQLException {
		DataSource dataSource = dataSource(url);
		this.runner.withBean("dataSource", DataSource.class, () -> dataSource)
			.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).isEmpty());
	}

	@Test
	void aDataSourceThatCannotConnectIsSkipped() throws SQLException {
		DataSource dataSource = mock(DataSource.class);
		given(dataSource.getConnection()).willThrow(new SQLException("down"));
		this.runner.withBean("dataSource", DataSource.class, () -> dataSource)
			.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).isEmpty());
	}

	@Test
	void scheduledTasksAreFoundOnlyWhenEveryWorkerRunsThem() {
		ApplicationContextRunner scheduling = this.runner.withUserConfiguration(ScheduledConfiguration.class);
		scheduling.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).isEmpty());
		scheduling.withPropertyValues("cluster.scheduling=all")
			.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).singleElement()
				.satisfies((advice) -> {
					assertThat(advice.code()).isEqualTo("scheduled-tasks");
					assertThat(advice.subject()).endsWith("ScheduledConfiguration.report");
					assertThat(advice.remedy()).contains("cluster.scheduling=lead");
				}));
	}

	@Test
	void aTaskOfABeanThatOnlyTheLeadWorkerHasRunsOnceAlready() {
		this.runner.withUserConfiguration(LeadOnlyConfiguration.class)
			.withPropertyValues("cluster.scheduling=all")
			.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).isEmpty());
	}

	@Test
	void localCachesAreFoundOnlyWhenEvictionsStayInOneWorker() {
		ApplicationContextRunner caching = this.runner.withBean("cacheManager", ConcurrentMapCacheManager.class);
		caching.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).isEmpty());
		caching.withPropertyValues("cluster.cache.coherent=false")
			.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).singleElement()
				.satisfies((advice) -> {
					assertThat(advice.code()).isEqualTo("local-cache");
					assertThat(advice.subject()).isEqualTo("CacheManager 'cacheManager'");
				}));
	}

	@Test
	void springsSimpleBrokerIsNotFoundWhileItsMessagesAreRelayed() {
		this.runner
			.withBean("simpleBroker", SimpleBrokerMessageHandler.class,
					() -> new SimpleBrokerMessageHandler(new ExecutorSubscribableChannel(),
							new ExecutorSubscribableChannel(), new ExecutorSubscribableChannel(), List.of("/topic")))
			.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).isEmpty());
	}

	@Test
	void springsSimpleBrokerIsFoundWithoutTheRelay() {
		this.runner.withPropertyValues("cluster.stomp.relay=false")
			.withBean("simpleBroker", SimpleBrokerMessageHandler.class,
					() -> new SimpleBrokerMessageHandler(new ExecutorSubscribableChannel(),
							new ExecutorSubscribableChannel(), new ExecutorSubscribableChannel(), List.of("/topic")))
			.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).singleElement()
				.satisfies((advice) -> {
					assertThat(advice.code()).isEqualTo("simple-broker");
					assertThat(advice.subject()).isEqualTo("Simple broker 'simpleBroker'");
				}));
	}

	@Test
	void aLogFileOutsideLoggingFileIsFound(@TempDir Path directory) {
		LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
		FileAppender<ILoggingEvent> appender = new FileAppender<>();
		appender.setContext(logback);
		appender.setName("hand-written");
		appender.setFile(directory.resolve("shared.log").toString());
		PatternLayoutEncoder encoder = new PatternLayoutEncoder();
		encoder.setContext(logback);
		encoder.setPattern("%msg%n");
		encoder.start();
		appender.setEncoder(encoder);
		appender.start();
		Logger root = logback.getLogger(Logger.ROOT_LOGGER_NAME);
		root.addAppender(appender);
		try {
			this.runner.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).singleElement()
				.satisfies((advice) -> {
					assertThat(advice.code()).isEqualTo("shared-log-file");
					assertThat(advice.subject()).isEqualTo(directory.resolve("shared.log").toString());
				}));
			System.setProperty("LOG_FILE", directory.resolve("shared.log").toString());
			this.runner.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).isEmpty());
		}
		finally {
			System.clearProperty("LOG_FILE");
			root.detachAppender(appender);
			appender.stop();
		}
	}

	@Test
	void nothingToSayAboutAPlainApplication() {
		this.runner.run((context) -> assertThat(context.getBean(ClusterAdvisor.class).findings()).isEmpty());
	}

	private static DataSource dataSource(String url) throws SQLException {
		DatabaseMetaData metaData = mock(DatabaseMetaData.class);
		given(metaData.getURL()).willReturn(url);
		Connection connection = mock(Connection.class);
		given(connection.getMetaData()).willReturn(metaData);
		DataSource dataSource = mock(DataSource.class);
		given(dataSource.getConnection()).willReturn(connection);
		return dataSource;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ClusterProperties.class)
	static class AdvisorConfiguration {

		@Bean
		ClusterAdvisor clusterAdvisor(ListableBeanFactory beans, ClusterProperties properties) {
			return new ClusterAdvisor(beans, properties, new LogFiles());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	@ConditionalOnLeadWorker
	static class LeadOnlyConfiguration {

		@Scheduled(fixedRate = 60_000)
		void report() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ScheduledConfiguration {

		@Scheduled(fixedRate = 60_000)
		void report() {
		}

	}

}
