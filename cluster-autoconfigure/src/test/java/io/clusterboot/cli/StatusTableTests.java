package io.clusterboot.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.WorkerState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTableTests {

	@Test
	void oneRowPerWorkerWithItsFiguresAndASummary() {
		ClusterStatus status = new ClusterStatus("cluster", "shared", "[::]:8080",
				new ClusterStatus.Primary(4100, Instant.EPOCH), 2, null,
				List.of(worker(1, 4101L, WorkerState.READY, true, 2), worker(2, null, WorkerState.RESTARTING, false,
						null)),
				new ClusterStatus.Reload("reload", "finished", "requested", Instant.EPOCH, Instant.EPOCH), 1, List.of(),
				List.of());
		String table = StatusTable.render(status);
		assertThat(table.lines().toList()).containsExactly(
				"id   pid  state       version               uptime  cpu  core  memory  requests  restarts",
				"1*  4101  READY       1.2.0 (3c1f0e9a2b7d)    3m7s  25%     2  256 MB      1200         0",
				"2      -  RESTARTING  -                          -   0%     -       -         0         3",
				"1 of 2 workers ready on [::]:8080 (shared), primary pid 4100; * leads; last reload finished");
	}

	@Test
	void uptimeShowsItsTwoLargestUnits() {
		assertThat(StatusTable.uptime(Duration.ofSeconds(42))).isEqualTo("42s");
		assertThat(StatusTable.uptime(Duration.ofMinutes(61))).isEqualTo("1h1m");
		assertThat(StatusTable.uptime(Duration.ofHours(50))).isEqualTo("2d2h");
	}

	private static ClusterStatus.Worker worker(int id, Long pid, WorkerState state, boolean lead, Integer cpu) {
		boolean running = pid != null;
		return new ClusterStatus.Worker(id, pid, state, 1, running ? 0 : 3, Instant.EPOCH,
				running ? Duration.ofSeconds(187).toMillis() : 0, 0, running ? 256L * 1024 * 1024 : 0, null, null,
				running ? 1200 : 0, 0, running ? 0.25 : 0, running ? "1.2.0 (3c1f0e9a2b7d)" : null, lead, 0, cpu);
	}

}
