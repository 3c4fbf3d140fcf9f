package io.clusterboot.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class WrkResultTests {

	@Test
	void parsesTotalsAndBuckets() {
		WrkResult result = WrkResult.parse("""
				Running 10s test @ http://127.0.0.1:18110/hello
				RESULT requests=50000 duration_us=10000000 connect=0 read=2 write=0 timeout=1 non2xx=3 codes=503:3 workers=1:25000,2:25000 p50_us=400 p99_us=2500 max_us=90000
				BUCKET 1700000000 4000
				BUCKET 1700000001 5000
				""");
		assertThat(result.requests()).isEqualTo(50000);
		assertThat(result.requestsPerSecond()).isEqualTo(5000);
		assertThat(result.socketErrors()).isEqualTo(3);
		assertThat(result.non2xx()).isEqualTo(3);
		assertThat(result.errors()).isEqualTo(6);
		assertThat(result.p99Micros()).isEqualTo(2500);
		assertThat(result.maxMicros()).isEqualTo(90000);
		assertThat(result.perEpochSecond()).containsExactly(entry(1700000000L, 4000L), entry(1700000001L, 5000L));
	}

	@Test
	void aRunWithoutResultIsAnError() {
		assertThatIllegalArgumentException().isThrownBy(() -> WrkResult.parse("unable to connect to 127.0.0.1:1"))
			.withMessageContaining("unable to connect");
	}

}
