package io.clusterboot.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.clusterboot.sample.SampleCluster.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's chat page in a real browser, headless Chromium: two pages on different
 * workers talk to each other, and go on talking after a reload replaced both workers.
 */
class BrowserChatIT {

	private static final int MAX_PAGE_LOADS = 20;

	@RegisterExtension
	final SampleClusters clusters = new SampleClusters();

	private HeadlessChromium chromium;

	@AfterEach
	void closeBrowser() {
		if (this.chromium != null) {
			this.chromium.close();
		}
	}

	@Test
	void pagesOnDifferentWorkersChatAndReconnectAfterAReload() throws IOException {
		SampleCluster cluster = this.clusters.start("--cluster.instances=2");
		Set<Long> pids = SampleCluster.pids(cluster.awaitReady(2));
		this.chromium = HeadlessChromium.start();
		String chat = "http://127.0.0.1:" + cluster.port() + "/chat.html?name=";
		HeadlessChromium.Page ann = this.chromium.open(chat + "ann");
		int annWorker = worker(ann);
		HeadlessChromium.Page bob = this.chromium.open(chat + "bob");
		// The kernel decides which worker takes a connection: reload until bob is elsewhere
		for (int load = 1; worker(bob) == annWorker && load < MAX_PAGE_LOADS; load++) {
			bob.reload();
		}
		assertThat(worker(bob)).isNotEqualTo(annWorker);

		say(ann, "hello from ann");
		awaitLine(bob, "ann: hello from ann via worker " + annWorker);

		signal(cluster.primary().pid(), "HUP");
		Set<Long> newPids = SampleCluster.pids(cluster.awaitReloaded(pids, 2));
		for (HeadlessChromium.Page page : new HeadlessChromium.Page[] { ann, bob }) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> page.text("document.body.dataset.lastClose ?? ''"), "1001"::equals);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> newPids.contains(pid(page)) && page.text("document.body.dataset.connected").equals("true"));
		}
		say(bob, "still here?");
		awaitLine(ann, "bob: still here?");
		say(ann, "yes");
		awaitLine(bob, "ann: yes");
	}

	/**
	 * The worker that holds the page's connection, once the page is connected.
	 */
	private static int worker(HeadlessChromium.Page page) {
		return Integer.parseInt(await().atMost(Duration.ofSeconds(30))
			.until(() -> page.text("document.body.dataset.worker ?? ''"), (worker) -> !worker.isEmpty()));
	}

	private static long pid(HeadlessChromium.Page page) {
		String connection = page.text("document.getElementById('connection').textContent");
		int pid = connection.indexOf("(pid ");
		return (pid >= 0) ? Long.parseLong(connection.substring(pid + 5, connection.indexOf(')', pid))) : -1;
	}

	/**
	 * Type a message and press Send, as a user does.
	 */
	private static void say(HeadlessChromium.Page page, String text) {
		page.evaluate("document.getElementById('text').value = " + quoted(text)
				+ "; document.getElementById('say').click();");
	}

	private static void awaitLine(HeadlessChromium.Page page, String line) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> page.text("document.getElementById('messages').innerText"), (shown) -> shown.contains(line));
	}

	private static String quoted(String text) {
		return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

}
