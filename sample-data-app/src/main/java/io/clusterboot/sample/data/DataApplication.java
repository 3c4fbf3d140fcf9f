package io.clusterboot.sample.data;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A second sample that boots like real applications do: Hibernate on an embedded H2,
 * Spring Data repositories, Thymeleaf pages and validation.
 */
@SpringBootApplication
public class DataApplication {

	public static void main(String[] args) {
		SpringApplication.run(DataApplication.class, args);
	}

}
