package io.clusterboot.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.clusterboot.protocol.ClusterStatus;
import io.clusterboot.protocol.WorkerState;

/**
 * The cluster's status as a table, like {@code pm2 ls}.
 */
final class StatusTable {

	private static final String[] HEADINGS = { "id", "pid", "state", "version", "uptime", "cpu", "core", "memory",
			"requests", "restarts" };

	private StatusTable() {
	}

	static String render(ClusterStatus status) {
		List<String[]> rows = new ArrayList<>();
		rows.add(HEADINGS);
		for (ClusterStatus.Worker worker : status.workers()) {
			rows.add(new String[] { worker.id() + (worker.lead() ? "*" : ""),
					(worker.pid() != null) ? worker.pid().toString() : "-", worker.state().toString(),
					(worker.version() != null) ? worker.version() : "-",
					(worker.pid() != null) ? uptime(Duration.ofMillis(worker.uptimeMs())) : "-",
					String.format(Locale.ROOT, "%.0f%%", worker.cpu() * 100),
					(worker.pinnedCpu() != null) ? worker.pinnedCpu().toString() : "-", megabytes(worker.rssBytes()),
					Long.toString(worker.requests()), Integer.toString(worker.restarts()) });
		}
		int[] widths = new int[HEADINGS.length];
		for (String[] row : rows) {
			for (int column = 0; column < row.length; column++) {
				widths[column] = Math.max(widths[column], row[column].length());
			}
		}
		StringBuilder table = new StringBuilder();
		for (String[] row : rows) {
			for (int column = 0; column < row.length; column++) {
				String cell = row[column];
				// Numbers right-aligned, words left-aligned
				boolean number = column != 2 && column != 3 && column != 0;
				String padding = " ".repeat(widths[column] - cell.length());
				table.append(number ? padding + cell : cell + padding);
				table.append((column < row.length - 1) ? "  " : "\n");
			}
		}
		table.append(summary(status));
		return table.toString();
	}

	private static String summary(ClusterStatus status) {
		long ready = status.workers().stream().filter((worker) -> worker.state() == WorkerState.READY).count();
		StringBuilder summary = new StringBuilder().append(ready)
			.append(" of ")
			.append(status.desired())
			.append(" workers ready on ")
			.append(status.address())
			.append(" (")
			.append(status.listen())
			.append("), primary pid ")
			.append(status.primary().pid());
		if (status.workers().stream().anyMatch(ClusterStatus.Worker::lead)) {
			summary.append("; * leads");
		}
		if (status.reload() != null) {
			summary.append("; last ")
				.append(status.reload().kind())
				.append(' ')
				.append(status.reload().state());
		}
		return summary.append('\n').toString();
	}

	static String uptime(Duration uptime) {
		if (uptime.toDays() > 0) {
			return uptime.toDays() + "d" + uptime.toHoursPart() + "h";
		}
		if (uptime.toHours() > 0) {
			return uptime.toHours() + "h" + uptime.toMinutesPart() + "m";
		}
		if (uptime.toMinutes() > 0) {
			return uptime.toMinutes() + "m" + uptime.toSecondsPart() + "s";
		}
		return uptime.toSeconds() + "s";
	}

	private static String megabytes(long bytes) {
		return (bytes > 0) ? Math.round(bytes / (1024.0 * 1024)) + " MB" : "-";
	}

}
