package io.clusterboot.primary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import io.clusterboot.primary.Rollout.Kind;
import io.clusterboot.primary.SupervisorTests.FakeTicker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many replacements a rollout lets boot at once.
 */
class RolloutTests {

	private final FakeTicker ticker = new FakeTicker();

	private final List<Integer> askedForRoom = new ArrayList<>();

	@Test
	void replacementsBootUpToTheSurgeInOrder() {
		Rollout rollout = reloadOf(3, 2);
		assertThat(bootNext(rollout, always(true))).isEqualTo(1);
		assertThat(bootNext(rollout, always(true))).isEqualTo(2);
		assertThat(rollout.nextId(always(true))).isNull();
		assertThat(rollout.booting()).isEqualTo(2);
		assertThat(rollout.ids()).containsExactly(3);
	}

	@Test
	void aReplacementAloneBootsWithoutAskingForRoom() {
		Rollout rollout = reloadOf(2, 2);
		assertThat(bootNext(rollout, always(false))).isEqualTo(1);
		assertThat(this.askedForRoom).isEmpty();
	}

	@Test
	void aReplacementWithoutRoomBesideOthersStaysFirstInLine() {
		Rollout rollout = reloadOf(3, 3);
		bootNext(rollout, always(true));
		assertThat(rollout.nextId(always(false))).isNull();
		assertThat(this.askedForRoom).containsExactly(2);
		assertThat(rollout.ids()).containsExactly(2, 3);
		assertThat(bootNext(rollout, always(true))).isEqualTo(2);
	}

	@Test
	void aSurgeBelowOneBootsOneAtATime() {
		Rollout rollout = reloadOf(2, 0);
		bootNext(rollout, always(true));
		assertThat(rollout.nextId(always(true))).isNull();
		assertThat(rollout.ids()).containsExactly(2);
	}

	@Test
	void theLastIdTakenLeavesNothingToBoot() {
		Rollout rollout = reloadOf(1, 2);
		bootNext(rollout, always(true));
		assertThat(rollout.nextId(always(true))).isNull();
		assertThat(rollout.isDone()).isFalse();
	}

	private Rollout reloadOf(int workers, int surge) {
		List<Integer> ids = new ArrayList<>();
		for (int id = 1; id <= workers; id++) {
			ids.add(id);
		}
		return new Rollout(Kind.RELOAD, "requested", ids, null, Instant.EPOCH, surge);
	}

	private Integer bootNext(Rollout rollout, IntPredicate room) {
		Integer id = rollout.nextId(room);
		assertThat(id).isNotNull();
		rollout.replacing(worker(id, 1), worker(id, 2));
		return id;
	}

	private IntPredicate always(boolean room) {
		return (id) -> {
			this.askedForRoom.add(id);
			return room;
		};
	}

	/** A worker as the rollout tracks it: its process is not looked at. */
	private WorkerHandle worker(int id, int generation) {
		return new WorkerHandle(id, generation, id, null, null, this.ticker, 0);
	}

}
