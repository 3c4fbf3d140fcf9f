package io.clusterboot.primary;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartBackoffTests {

	private final RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(10));

	@Test
	void doublesFromTheInitialDelay() {
		assertThat(this.backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(this.backoff.delay(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(this.backoff.delay(5)).isEqualTo(Duration.ofMillis(1600));
	}

	@Test
	void isCappedAtTheMaximum() {
		assertThat(this.backoff.delay(8)).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.backoff.delay(1000)).isEqualTo(Duration.ofSeconds(10));
	}

}
