package io.clusterboot.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTests {

	private static final long MB = 1024 * 1024;

	@Test
	void ratiosAreClusterOverEachOtherConfiguration() {
		Results results = new Results();
		results.start("single JVM", 4000, 7.2);
		results.start("cluster", 4600, 9.0);
		results.start("cluster", 5000, 9.6);
		results.steady.add(run("single JVM", 5000, 0.40, 200));
		results.steady.add(run("cluster", 6000, 0.30, 300));
		results.reloads.add(new Results.ReloadRun("cluster", false, "finished", 12.34, 0.04, 0, 6000, 2100, 19, 8.04, 35.5, 2400));
		results.reloads.add(new Results.ReloadRun("cluster", true, "aborted", 61.5, -1, 3, 6000, 0, -1, -1, 900, 5000));
		String report = Report.render(results, "# Bench", "single JVM", "cluster");
		assertThat(report).contains("| single JVM | 4.0 s | 4.0 s | 1.00× | 7.2 | 1.8 |");
		assertThat(report).contains("| cluster | 4.8 s | 4.6 s, 5.0 s | 1.20× | 9.3 | 1.9 |");
		assertThat(report).contains("| single JVM | 1.20× | 0.75× | 1.50× |");
		assertThat(report).contains("| cluster | same | 12.3 s | 0.0 s | finished | 0 | 6000 | 2100 | 19 s | 8.0 s | 36 / 2400 ms |");
		assertThat(report).contains("| cluster | new build | 61.5 s | – | aborted | 3 | 6000 | 0 | not within the run | – | 900 / 5000 ms |");
		assertThat(report).contains("| cluster | 6000 | yes | 6000 6000 6000 | 30 s | 0.300 | 0 | 300 MB | 300 MB | worker 300/300 |");
	}

	@Test
	void stompLatenciesAreReportedPerPath() {
		Results results = new Results();
		results.stomp = new Results.StompRun(1000, 998, 30000, 0, new Latencies(30000, 0.41, 1.2, 9.5),
				new Latencies(30000, 0.62, 1.9, 11.0), new Latencies(30000, 0.2, 0.8, 4.25));
		String report = Report.render(results, "# Bench", "single JVM", "cluster");
		assertThat(report).contains("at 1000 messages/s (998 achieved)").contains("30000 messages after the warm-up. Lost: 0.");
		assertThat(report).contains("| added by crossing workers (per message) | 30000 | 0.20 ms | 0.80 ms | 4.25 ms |");
	}

	@Test
	void aMissingReferenceGivesNoRatio() {
		assertThat(Report.ratio(5, 0)).isEqualTo("–");
		assertThat(Report.ratio(Double.NaN, 3)).isEqualTo("–");
	}

	private static Results.SteadyRun run(String name, double rate, double cpu, long megabytes) {
		return new Results.SteadyRun(name, "java -jar", new Throughput.Steady(rate, true, 3), List.of(rate, rate, rate),
				30, cpu, 0, List.of(new Results.ProcessMemory("worker", 1, new ProcFs.Memory(megabytes * MB, megabytes * MB))));
	}

}
