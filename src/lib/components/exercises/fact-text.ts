/** A fact question in words, as the practice page and the printed sheets ask it. */
import type { FactAsk } from '$lib/exercises/kinds/kind';
import { m } from '$lib/paraglide/messages';

/** A switch over every fact, so that a new fact is worded here or the build says so. */
export function factText(fact: FactAsk): string {
	switch (fact.ask) {
		case 'output_size':
			return fact.layer ? m.exercise_fact_output_size({ layer: fact.layer }) : m.exercise_fact_output_size_input();
		case 'param_count':
			return fact.layer ? m.exercise_fact_param_count_layer({ layer: fact.layer }) : m.exercise_fact_param_count();
		case 'shape':
			return m.exercise_fact_shape({ of: fact.of ?? '' });
	}
}
