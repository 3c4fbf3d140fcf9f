package io.clusterboot.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A plain scheduled job, as applications have them: with cluster mode's default
 * ({@code cluster.scheduling=lead}) it runs once per period in the whole cluster, in the
 * lead worker. It appends a line with its process id to {@code sample.ticks-file}, when
 * that is set, so that tests see which process ran it.
 */
@Component
class TickJob {

	private final String ticksFile;

	TickJob(@Value("${sample.ticks-file:}") String ticksFile) {
		this.ticksFile = ticksFile;
	}

	@Scheduled(fixedRateString = "${sample.tick-interval:60s}")
	void tick() {
		if (!this.ticksFile.isEmpty()) {
			try {
				Files.writeString(Path.of(this.ticksFile), ProcessHandle.current().pid() + "\n",
						StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

}
