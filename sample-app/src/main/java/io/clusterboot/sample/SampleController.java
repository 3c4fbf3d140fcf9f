package io.clusterboot.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that show what a cluster changes. Every response names the worker and
 * process that served it.
 */
@RestController
class SampleController {

	private static final Log logger = LogFactory.getLog(SampleController.class);

	// Stands for legacy or single-threaded code: one caller at a time per JVM
	private static final ReentrantLock jvmWideLock = new ReentrantLock();

	private final int workerId;

	private final long pid = ProcessHandle.current().pid();

	SampleController(@Value("${cluster.worker.id:0}") int workerId) {
		this.workerId = workerId;
	}

	@GetMapping("/hello")
	Map<String, Object> hello() {
		return served("message", "hello");
	}

	/**
	 * Logs one line, as a request log would: to the console, and to the file that
	 * {@code logging.file.name} names, where it is set.
	 */
	@GetMapping("/log")
	Map<String, Object> log(@RequestParam long line) {
		logger.info("Request line " + line);
		return served("logged", line);
	}

	/**
	 * Counts a client's visits in its HTTP session, which the servlet container keeps in
	 * the memory of the worker that created it.
	 */
	@GetMapping("/visits")
	Map<String, Object> visits(HttpSession session) {
		Integer visits = (Integer) session.getAttribute("visits");
		visits = (visits != null) ? visits + 1 : 1;
		session.setAttribute("visits", visits);
		return served("visits", visits);
	}

	/**
	 * Which build of the application serves: the content of {@code deploy-version.txt}
	 * on the class path, which deploy tests write into a copy of the jar.
	 */
	@GetMapping("/version")
	Map<String, Object> version() throws IOException {
		ClassPathResource version = new ClassPathResource("deploy-version.txt");
		return served("version",
				version.exists() ? version.getContentAsString(StandardCharsets.UTF_8).trim() : "unversioned");
	}

	/**
	 * The CPU loop of the classic Node cluster demo.
	 */
	@GetMapping("/heavy")
	Map<String, Object> heavy(@RequestParam(defaultValue = "50000000") long n) {
		long count = 0;
		for (long i = 0; i < n; i++) {
			count += i & 1;
		}
		return served("count", count);
	}

	/**
	 * A page written as templates write them: in pieces, flushed, larger than the
	 * response buffer, so its length is unknown when the headers go out.
	 */
	@GetMapping(path = "/page", produces = MediaType.TEXT_HTML_VALUE)
	void page(@RequestParam(defaultValue = "16") int kb, HttpServletResponse response) throws IOException {
		response.setContentType(MediaType.TEXT_HTML_VALUE);
		PrintWriter out = response.getWriter();
		out.println("<!DOCTYPE html><html><body><h1>Worker " + this.workerId + "</h1>");
		for (int i = 0; i < kb * 16; i++) {
			out.println("<p>Line " + i + " of a page that is streamed to the client.</p>");
			if (i % 64 == 0) {
				out.flush();
			}
		}
		out.println("</body></html>");
	}

	@GetMapping("/slow")
	Map<String, Object> slow(@RequestParam(defaultValue = "2000") long ms) throws InterruptedException {
		Thread.sleep(ms);
		return served("sleptMs", ms);
	}

	@GetMapping("/locked")
	Map<String, Object> locked(@RequestParam(defaultValue = "20") long ms) throws InterruptedException {
		jvmWideLock.lock();
		try {
			Thread.sleep(ms);
		}
		finally {
			jvmWideLock.unlock();
		}
		return served("lockedMs", ms);
	}

	/**
	 * Deadlocks the request thread with a helper thread: a stuck worker, for the
	 * heartbeat timeout to find.
	 */
	@GetMapping("/deadlock")
	Map<String, Object> deadlock() throws InterruptedException {
		Object first = new Object();
		Object second = new Object();
		CountDownLatch bothHoldOne = new CountDownLatch(2);
		Thread helper = new Thread(() -> lockBoth(second, first, bothHoldOne), "sample-deadlock");
		helper.start();
		lockBoth(first, second, bothHoldOne);
		return served("deadlocked", false);
	}

	private static void lockBoth(Object mine, Object theirs, CountDownLatch bothHoldOne) {
		synchronized (mine) {
			bothHoldOne.countDown();
			try {
				bothHoldOne.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			synchronized (theirs) {
				bothHoldOne.countDown();
			}
		}
	}

	private Map<String, Object> served(String key, Object value) {
		return Map.of("worker", this.workerId, "pid", this.pid, key, value);
	}

}
