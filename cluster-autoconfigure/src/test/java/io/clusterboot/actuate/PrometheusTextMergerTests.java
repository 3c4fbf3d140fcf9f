package io.clusterboot.actuate;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextMergerTests {

	@Test
	void describesEachFamilyOnceAndKeepsEveryWorkersSamples() {
		String one = """
				# HELP jvm_threads_live_threads The current number of live threads
				# TYPE jvm_threads_live_threads gauge
				jvm_threads_live_threads{worker="1"} 20.0
				# HELP http_server_requests_seconds Duration of HTTP server request handling
				# TYPE http_server_requests_seconds summary
				http_server_requests_seconds_count{uri="/hello",worker="1"} 3
				http_server_requests_seconds_sum{uri="/hello",worker="1"} 0.1
				""";
		String two = """
				# HELP jvm_threads_live_threads The current number of live threads
				# TYPE jvm_threads_live_threads gauge
				jvm_threads_live_threads{worker="2"} 21.0
				""";
		assertThat(PrometheusTextMerger.merge(List.of(one, two), Set.of())).isEqualTo("""
				# HELP jvm_threads_live_threads The current number of live threads
				# TYPE jvm_threads_live_threads gauge
				jvm_threads_live_threads{worker="1"} 20.0
				jvm_threads_live_threads{worker="2"} 21.0
				# HELP http_server_requests_seconds Duration of HTTP server request handling
				# TYPE http_server_requests_seconds summary
				http_server_requests_seconds_count{uri="/hello",worker="1"} 3
				http_server_requests_seconds_sum{uri="/hello",worker="1"} 0.1
				""");
	}

	@Test
	void familiesOnlyOneWorkerHasAreKept() {
		String one = "# TYPE a counter\na_total{worker=\"1\"} 1\n";
		String two = "# TYPE b counter\nb_total{worker=\"2\"} 2\n";
		assertThat(PrometheusTextMerger.merge(List.of(one, two), Set.of()))
			.isEqualTo("# TYPE a counter\na_total{worker=\"1\"} 1\n# TYPE b counter\nb_total{worker=\"2\"} 2\n");
	}

	@Test
	void clusterWideFamiliesComeFromTheFirstScrapeOnly() {
		String one = """
				# HELP cluster_workers Workers in each state
				# TYPE cluster_workers gauge
				cluster_workers{state="READY"} 2.0
				# TYPE a counter
				a_total{worker="1"} 1
				""";
		String two = """
				# HELP cluster_workers Workers in each state
				# TYPE cluster_workers gauge
				cluster_workers{state="READY"} 2.0
				# TYPE a counter
				a_total{worker="2"} 2
				""";
		assertThat(PrometheusTextMerger.merge(List.of(one, two), ClusterMetrics.FAMILIES)).isEqualTo("""
				# HELP cluster_workers Workers in each state
				# TYPE cluster_workers gauge
				cluster_workers{state="READY"} 2.0
				# TYPE a counter
				a_total{worker="1"} 1
				a_total{worker="2"} 2
				""");
	}

	@Test
	void openMetricsEndsOnceWithEof() {
		String one = "# TYPE a gauge\n# UNIT a bytes\na{worker=\"1\"} 1\n# EOF\n";
		String two = "# TYPE a gauge\n# UNIT a bytes\na{worker=\"2\"} 2\n# EOF\n";
		assertThat(PrometheusTextMerger.merge(List.of(one, two), Set.of()))
			.isEqualTo("# TYPE a gauge\n# UNIT a bytes\na{worker=\"1\"} 1\na{worker=\"2\"} 2\n# EOF\n");
	}

}
