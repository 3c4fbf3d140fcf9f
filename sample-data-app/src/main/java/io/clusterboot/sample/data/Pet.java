package io.clusterboot.sample.data;

import java.time.LocalDate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

@Entity
public class Pet {

	@Id
	@GeneratedValue
	private Long id;

	private String name;

	private String kind;

	private LocalDate born;

	@ManyToOne
	private Owner owner;

	protected Pet() {
	}

	Pet(Owner owner, String name, String kind, LocalDate born) {
		this.owner = owner;
		this.name = name;
		this.kind = kind;
		this.born = born;
		owner.addPet(this);
	}

	public Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public String getKind() {
		return this.kind;
	}

	public LocalDate getBorn() {
		return this.born;
	}

}
