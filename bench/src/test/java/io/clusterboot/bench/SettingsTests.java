package io.clusterboot.bench;

import java.nio.file.Path;
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
	void aVariantMayRunAJarOfItsOwnWithVersionsOfItsOwn() {
		List<Settings.Variant> variants = Settings.Variant.parseAll("before=/tmp/old.jar -Xmx256m; after=");
		assertThat(variants.get(0).jar()).isEqualTo(Path.of("/tmp/old.jar"));
		assertThat(variants.get(0).options()).containsExactly("-Xmx256m");
		assertThat(variants.get(1).jar()).isNull();
		Settings settings = Settings.fromEnvironment(environment("start"));
		assertThat(settings.jar(variants.get(0))).isEqualTo(Path.of("work/before.jar"));
		assertThat(settings.snapshots(variants.get(0))).isEqualTo(Path.of("work/snapshots-before"));
		assertThat(settings.jar(variants.get(1))).isEqualTo(Path.of("app.jar"));
		assertThat(settings.snapshots(variants.get(1))).isEqualTo(settings.snapshots());
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.Variant.parseAll("two=a.jar b.jar"))
			.withMessageContaining("'b.jar'");
	}

	@Test
	void theLeanPrimarySearchesItsOwnClassesThenTheSupervisorsLibrariesFirst() {
		Settings settings = Settings.fromEnvironment(environment("lean-primary"));
		List<Path> libraries = List.of(Path.of("lib/HdrHistogram-2.2.2.jar"),
				Path.of("lib/cluster-autoconfigure-0.1.0.jar"), Path.of("lib/jackson-core-3.1.5.jar"),
				Path.of("lib/spring-boot-actuator-4.1.1.jar"), Path.of("lib/spring-boot-4.1.1.jar"),
				Path.of("lib/tomcat-embed-core-11.0.24.jar"));
		assertThat(settings.leanPrimaryClassPath(libraries)).containsExactly(Path.of("bench/target/classes"),
				Path.of("lib/cluster-autoconfigure-0.1.0.jar"), Path.of("lib/jackson-core-3.1.5.jar"),
				Path.of("lib/spring-boot-4.1.1.jar"), Path.of("lib/HdrHistogram-2.2.2.jar"),
				Path.of("lib/spring-boot-actuator-4.1.1.jar"), Path.of("lib/tomcat-embed-core-11.0.24.jar"));
		assertThat(settings.runs("lean-primary")).isTrue();
		assertThat(Settings.fromEnvironment(environment("start peers steady reload")).runs("lean-primary")).isFalse();
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
