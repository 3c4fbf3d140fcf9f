package io.clusterboot.sample.data;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface OwnerRepository extends JpaRepository<Owner, Long> {

	List<Owner> findByCityOrderByName(String city);

	List<Owner> findTop20ByOrderByName();

}
