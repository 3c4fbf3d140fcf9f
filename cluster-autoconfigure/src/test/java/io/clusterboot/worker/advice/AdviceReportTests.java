package io.clusterboot.worker.advice;

import java.util.ArrayList;
import java.util.List;

import io.clusterboot.ClusterProperties;
import io.clusterboot.protocol.Advice;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class AdviceReportTests {

	private static final Advice DATABASE = new Advice("embedded-database", "DataSource 'dataSource' (jdbc:h2:mem:x)",
			"Each worker has its own in-memory database.", "Use a database server.");

	private static final Advice SESSIONS = new Advice("in-memory-sessions", "HTTP sessions",
			"A session lives in one worker.", "Use Spring Session.");

	private final ClusterAdvisor advisor = mock(ClusterAdvisor.class);

	private final ClusterProperties.Advice settings = new ClusterProperties.Advice();

	private final List<List<Advice>> sent = new ArrayList<>();

	@Test
	void everyWorkerTellsThePrimaryItsFindings() {
		given(this.advisor.findings()).willReturn(List.of(DATABASE));
		new AdviceReport(this.advisor, this.settings, this.sent::add).afterSingletonsInstantiated();
		assertThat(this.sent).containsExactly(List.of(DATABASE));
	}

	@Test
	void aWorkerWithNothingToReportSendsNothing() {
		given(this.advisor.findings()).willReturn(List.of());
		new AdviceReport(this.advisor, this.settings, this.sent::add).afterSingletonsInstantiated();
		assertThat(this.sent).isEmpty();
	}

	@Test
	void ignoredFindingsAreNotReported() {
		given(this.advisor.findings()).willReturn(List.of(DATABASE));
		this.settings.getIgnore().add(AdviceCode.EMBEDDED_DATABASE);
		this.settings.getIgnore().add(AdviceCode.IN_MEMORY_SESSIONS);
		AdviceReport report = new AdviceReport(this.advisor, this.settings, this.sent::add);
		report.afterSingletonsInstantiated();
		report.foundAtRunTime(SESSIONS);
		assertThat(this.sent).isEmpty();
	}

	@Test
	void aFindingAtRunTimeGoesToThePrimary() {
		new AdviceReport(this.advisor, this.settings, this.sent::add).foundAtRunTime(SESSIONS);
		assertThat(this.sent).containsExactly(List.of(SESSIONS));
	}

	@Test
	void failOnStopsStartupWithAReportNamingTheFindingAndTheRemedy() {
		given(this.advisor.findings()).willReturn(List.of(DATABASE));
		this.settings.getFailOn().add(AdviceCode.EMBEDDED_DATABASE);
		AdviceReport report = new AdviceReport(this.advisor, this.settings, this.sent::add);
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
