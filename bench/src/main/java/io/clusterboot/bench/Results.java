package io.clusterboot.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, in the order the report shows it.
 */
final class Results {

	final Map<String, List<Start>> starts = new LinkedHashMap<>();

	final List<SteadyRun> steady = new ArrayList<>();

	final List<ReloadRun> reloads = new ArrayList<>();

	StompRun stomp;

	void start(String name, double millis, double cpuSeconds) {
		this.starts.computeIfAbsent(name, (key) -> new ArrayList<>()).add(new Start(millis, cpuSeconds));
	}

	SteadyRun steady(String name) {
		return this.steady.stream().filter((run) -> run.name().equals(name)).findFirst().orElse(null);
	}

	/**
	 * One launch until ready.
	 *
	 * @param millis from the launch until it served
	 * @param cpuSeconds user and system time of every process of the configuration until
	 * then, with the processes they waited for (a first start's unpacking)
	 */
	record Start(double millis, double cpuSeconds) {
	}

	/**
	 * One configuration loaded until its throughput settled.
	 *
	 * @param name the configuration
	 * @param description how it was started
	 * @param steady the steady figure
	 * @param windows requests per second of each window
	 * @param warmUpSeconds seconds of load until the smoothed throughput reached 90% of
	 * steady, or -1
	 * @param cpuSecondsPer1000 CPU seconds of the whole process tree per 1,000 requests,
	 * over the settled windows
	 * @param errors socket errors and non-2xx responses over all windows
	 * @param processes memory of each process after the load, by role
	 */
	record SteadyRun(String name, String description, Throughput.Steady steady, List<Double> windows,
			int warmUpSeconds, double cpuSecondsPer1000, long errors, List<ProcessMemory> processes) {

		ProcFs.Memory tree() {
			return this.processes.stream()
				.map(ProcessMemory::memory)
				.reduce(new ProcFs.Memory(0, 0), ProcFs.Memory::plus);
		}

	}

	/**
	 * @param role what the process is: primary, worker, jvm, nginx
	 * @param pid its pid
	 * @param memory its memory
	 */
	record ProcessMemory(String role, long pid, ProcFs.Memory memory) {
	}

	/**
	 * A rolling reload under full load.
	 *
	 * @param name the configuration
	 * @param newBuild whether a new build was written over the jar before the signal, as a
	 * deploy does, rather than the same jar reloaded
	 * @param state how the reload ended: finished, aborted, or timeout
	 * @param seconds from the signal to the end of the reload
	 * @param preparedSeconds from the signal until the primary started replacing workers,
	 * once it had the version on disk unpacked, or -1 if the reload did not start
	 * @param errors socket errors and non-2xx responses of the whole run
	 * @param steady the steady figure before the reload
	 * @param lowestSecond the fewest requests in one second during the reload
	 * @param backToWarmSeconds from the signal until the smoothed throughput was back at
	 * 90% of steady, or -1
	 * @param shortfallSeconds the requests served short of steady in the minute after the
	 * signal, in seconds of steady throughput, or -1
	 * @param p99Millis the 99th percentile latency over the whole run
	 * @param maxMillis the slowest request of the run
	 */
	record ReloadRun(String name, boolean newBuild, String state, double seconds, double preparedSeconds, long errors,
			double steady, long lowestSecond, int backToWarmSeconds, double shortfallSeconds, double p99Millis,
			double maxMillis) {
	}

	/**
	 * STOMP messages published at a fixed rate, timed at a subscriber on the publisher's
	 * worker and at one on another worker.
	 *
	 * @param rate messages per second asked for
	 * @param achievedRate messages per second published
	 * @param counted messages published in the measured time
	 * @param lost counted messages that did not reach both subscribers
	 * @param sameWorker from publishing to arrival on the publisher's worker
	 * @param otherWorker from publishing to arrival on the other worker
	 * @param added arrival on the other worker minus arrival on the publisher's, per
	 * message
	 */
	record StompRun(int rate, long achievedRate, int counted, int lost, Latencies sameWorker, Latencies otherWorker,
			Latencies added) {
	}

}
