package io.clusterboot.worker.advice;

import java.util.ArrayList;
import java.util.List;

import io.clusterboot.ClusterProperties;
import io.clusterboot.protocol.Advice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
class AdviceReportTests {

	private static final Advice DATABASE = new Advice("embedded-database", "DataSource 'dataSource' (jdbc:h2:mem:x)",
			"Each worker has its own in-memory database.", "Use a database server.");

	private static final Advice SESSIONS = new Advice("in-memory-sessions", "HTTP sessions",
			"A session lives in one worker.", "Use Spring Session.");

	private final ClusterAdvisor advisor = mock(ClusterAdvisor.class);

	private final ClusterProperties.Advice settings = new ClusterProperties.Advice();

	private final List<List<Advice>> sent = new ArrayList<>();

	@Test
	void workerOneLogsEachFindingAndEveryWorkerTellsThePrimary(CapturedOutput output) {
		given(this.advisor.findings()).willReturn(List.of(DATABASE));
		new AdviceReport(this.advisor, this.settings, 2, this.sent::add).afterSingletonsInstantiated();
		assertThat(output).doesNotContain("Cluster advice");
		new AdviceReport(this.advisor, this.settings, 1, this.sent::add).afterSingletonsInstantiated();
		assertThat(output).contains("Cluster advice [embedded-database] DataSource 'dataSource' (jdbc:h2:mem:x): "
				+ "Each worker has its own in-memory database. Use a database server. "
				+ "(cluster.advice.ignore=embedded-database silences this)");
		assertThat(this.sent).containsExactly(List.of(DATABASE), List.of(DATABASE));
	}

	@Test
	void ignoredFindingsAreNeitherLoggedNorListed(CapturedOutput output) {
		given(this.advisor.findings()).willReturn(List.of(DATABASE));
		this.settings.getIgnore().add(AdviceCode.EMBEDDED_DATABASE);
		this.settings.getIgnore().add(AdviceCode.IN_MEMORY_SESSIONS);
		AdviceReport report = new AdviceReport(this.advisor, this.settings, 1, this.sent::add);
		report.afterSingletonsInstantiated();
		report.foundAtRunTime(SESSIONS);
		assertThat(output).doesNotContain("Cluster advice");
		assertThat(this.sent).isEmpty();
	}

	@Test
	void aFindingAtRunTimeIsLoggedWhereItHappens(CapturedOutput output) {
		new AdviceReport(this.advisor, this.settings, 2, this.sent::add).foundAtRunTime(SESSIONS);
		assertThat(output).contains("Cluster advice [in-memory-sessions] HTTP sessions");
		assertThat(this.sent).containsExactly(List.of(SESSIONS));
	}

	@Test
	void failOnStopsStartupWithAReportNamingTheFindingAndTheRemedy() {
		given(this.advisor.findings()).willReturn(List.of(DATABASE));
		this.settings.getFailOn().add(AdviceCode.EMBEDDED_DATABASE);
		AdviceReport report = new AdviceReport(this.advisor, this.settings, 1, this.sent::add);
		ClusterAdviceException failure = assertThatExceptionOfType(ClusterAdviceException.class)
			.isThrownBy(report::afterSingletonsInstantiated)
			.actual();
		FailureAnalysis analysis = new ClusterAdviceFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).contains("cluster.advice.fail-on names it")
			.contains("- [embedded-database] DataSource 'dataSource' (jdbc:h2:mem:x)");
		assertThat(analysis.getAction()).contains("- [embedded-database] Use a database server.")
			.contains("remove the code from cluster.advice.fail-on");
		assertThat(this.sent).isEmpty();
	}

}
