package io.clusterboot.sample;

import io.clusterboot.worker.ConditionalOnLeadWorker;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Work that must run once per host, not once per worker: only worker 1 has this bean.
 */
@Component
@ConditionalOnLeadWorker
class LeadWorkerReport {

	private volatile long runs;

	@Scheduled(fixedDelayString = "${sample.report-interval:60s}")
	void report() {
		this.runs++;
	}

	long runs() {
		return this.runs;
	}

}
