package io.clusterboot.primary;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InstanceCountTests {

	@ParameterizedTest
	@CsvSource({ "max, 8", "MAX, 8", "' max ', 8", "0, 8", "-1, 7", "-7, 1", "1, 1", "3, 3", "16, 16", "1024, 1024" })
	void resolvesAcceptedValues(String value, int expected) {
		assertThat(InstanceCount.resolve("cluster.instances", value, 8)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "banana", "", "2.5", "-8", "-99", "100000", "1025" })
	void rejectsOthersNamingThePropertyAndTheAcceptedValues(String value) {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> InstanceCount.resolve("cluster.instances", value, 8))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("cluster.instances");
				assertThat(ex.getValue()).isEqualTo(value);
				assertThat(ex.getReason()).contains("'max'", "'-N'");
			});
	}

}
