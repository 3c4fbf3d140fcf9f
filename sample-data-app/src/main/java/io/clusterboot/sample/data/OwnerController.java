package io.clusterboot.sample.data;

import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class OwnerController {

	private final OwnerRepository owners;

	OwnerController(OwnerRepository owners) {
		this.owners = owners;
	}

	@GetMapping("/owners")
	String list(@RequestParam(required = false) String city, Model model) {
		model.addAttribute("owners",
				(city != null) ? this.owners.findByCityOrderByName(city) : this.owners.findTop20ByOrderByName());
		model.addAttribute("count", this.owners.count());
		model.addAttribute("owner", new Owner("", ""));
		return "owners";
	}

	@PostMapping("/owners")
	String add(@Valid @ModelAttribute("owner") Owner owner, BindingResult result, Model model) {
		if (result.hasErrors()) {
			model.addAttribute("owners", this.owners.findTop20ByOrderByName());
			model.addAttribute("count", this.owners.count());
			return "owners";
		}
		this.owners.save(owner);
		return "redirect:/owners?city=" + owner.getCity();
	}

}
