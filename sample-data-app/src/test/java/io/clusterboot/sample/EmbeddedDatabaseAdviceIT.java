package io.clusterboot.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster-readiness report on an application with Hibernate on an in-memory H2, as
 * real applications start out: each of the 2 workers has its own database, and the
 * report says so once.
 */
class EmbeddedDatabaseAdviceIT {

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	@Test
	void eachWorkersInMemoryDatabaseIsReportedOnce() {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2");
		cluster.awaitReady(2);
		JsonNode advice = await().atMost(Duration.ofSeconds(10))
			.until(() -> cluster.status().get("advice"), (found) -> found.size() == 1);
		assertThat(advice.at("/0/code").asString()).isEqualTo("embedded-database");
		assertThat(advice.at("/0/subject").asString()).isEqualTo("DataSource 'dataSource' (H2 in memory)");
		assertThat(advice.at("/0/message").asString()).contains("jdbc:h2:mem:");
		assertThat(cluster.output()).containsOnlyOnce("Cluster advice [embedded-database]");
	}

}
