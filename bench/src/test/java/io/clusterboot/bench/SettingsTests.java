package io.clusterboot.bench;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SettingsTests {

	@Test
	void variantsSplitOptionsFromArguments() {
		List<Settings.Variant> variants = Settings.Variant
			.parseAll("defaults= ; nice10=--cluster.replaced-niceness=10 -Xmx256m");
		assertThat(variants).hasSize(2);
		assertThat(variants.get(0).name()).isEqualTo("defaults");
		assertThat(variants.get(0).options()).isEmpty();
		assertThat(variants.get(0).arguments()).isEmpty();
		assertThat(variants.get(1).options()).containsExactly("-Xmx256m");
		assertThat(variants.get(1).arguments()).containsExactly("--cluster.replaced-niceness=10");
	}

	@Test
	void peersStandsForEachPeerAndEachPeerRunsAlone() {
		Settings all = Settings.fromEnvironment(environment("start peers"));
		assertThat(all.runs("single")).isTrue();
		assertThat(all.runs("nginx")).isTrue();
		assertThat(all.runs("independent")).isTrue();
		assertThat(all.runs("steady")).isFalse();
		Settings single = Settings.fromEnvironment(environment("single steady"));
		assertThat(single.runs("single")).isTrue();
		assertThat(single.runs("steady")).isTrue();
		assertThat(single.runs("nginx")).isFalse();
		assertThat(single.runs("peers")).isFalse();
	}

	private static Map<String, String> environment(String sections) {
		return Map.of("JAR", "app.jar", "WORK", "work", "WRK_SCRIPT", "report.lua", "WORKERS", "2", "SECTIONS",
				sections);
	}

	@Test
	void aVariantWithoutNameIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.Variant.parseAll("-Xmx1g"))
			.withMessageContaining("name=options");
	}

	@Test
	void aBareWordIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.Variant.parseAll("a=oops"))
			.withMessageContaining("'oops'");
	}

}
