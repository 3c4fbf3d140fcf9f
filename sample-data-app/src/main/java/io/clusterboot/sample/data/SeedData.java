package io.clusterboot.sample.data;

import java.time.LocalDate;
import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A few hundred rows, so that pages query something.
 */
@Component
class SeedData implements ApplicationRunner {

	private static final List<String> CITIES = List.of("Madison", "Lyon", "Leeds", "Porto", "Graz");

	private static final List<String> KINDS = List.of("cat", "dog", "hamster", "parrot");

	private final OwnerRepository owners;

	SeedData(OwnerRepository owners) {
		this.owners = owners;
	}

	@Override
	@Transactional
	public void run(ApplicationArguments args) {
		if (this.owners.count() > 0) {
			return;
		}
		for (int i = 0; i < 200; i++) {
			Owner owner = new Owner("Owner " + i, CITIES.get(i % CITIES.size()));
			for (int p = 0; p < 1 + i % 3; p++) {
				new Pet(owner, "Pet " + i + "-" + p, KINDS.get((i + p) % KINDS.size()), LocalDate.of(2015 + p, 1 + i % 12, 1));
			}
			this.owners.save(owner);
		}
	}

}
