import type { ScenarioFile } from '../engine/scenario/schema';
import { importKeras } from './import';
import { formatProblem } from './problems';

/** A value in YAML's flow style: JSON is YAML, and keeps numbers as they are. */
function flow(value: unknown): string {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		return `{ ${Object.entries(value)
			.filter(([, v]) => v !== undefined)
			.map(([k, v]) => `${k}: ${flow(v)}`)
			.join(', ')} }`;
	}
	if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
	if (typeof value === 'string' && /^[A-Za-z_][\w]*$/.test(value) && !YAML_WORDS.test(value)) return value;
	return JSON.stringify(value);
}

/** Plain words YAML would read as something else than a string. */
const YAML_WORDS = /^(?:true|false|yes|no|on|off|y|n|null)$/i;

/** A list of rows, one a line. */
function rows(key: string, value: unknown): string[] {
	if (!Array.isArray(value)) return [`  ${key}: ${flow(value)}`];
	return [`  ${key}:`, ...value.map((row) => `    - ${flow(row)}`)];
}

/** The scenario as YAML text: a layer a line, a sample a line. */
export function scenarioYaml(scenario: ScenarioFile, comments: string[] = []): string {
	const lines = comments.map((c) => `# ${c}`);
	if (scenario.title !== undefined) lines.push(`title: ${flow(scenario.title)}`);
	if (scenario.model) {
		lines.push('model:', `  input: ${flow(scenario.model.input)}`, '  layers:');
		for (const layer of scenario.model.layers) lines.push(`    - ${flow(layer)}`);
	}
	for (const key of ['loss', 'reduction', 'optimizer', 'regularization', 'metrics', 'early_stopping'] as const) if (scenario[key] !== undefined) lines.push(`${key}: ${flow(scenario[key])}`);
	for (const key of ['data', 'validation', 'test'] as const) {
		const set = scenario[key];
		if (!set) continue;
		lines.push(`${key}:`, ...rows('X', set.X));
		if (set.Y !== undefined) lines.push(...rows('Y', set.Y));
	}
	if (scenario.training) lines.push(`training: ${flow(scenario.training)}`);
	return `${lines.join('\n')}\n`;
}

/**
 * Keras code as scenario YAML, with comments saying where it comes from, the layout conversion,
 * and each thing left out at its line. Throws ScenarioError for code it refuses.
 */
export function kerasToYaml(source: string): { yaml: string; notes: string[] } {
	const { scenario, notes } = importKeras(source);
	const image = Array.isArray(scenario.model?.input);
	const comments = [
		'Read from Keras code (stepwise import).',
		...(image ? ["Keras is channels-last, (height, width, channels); Stepwise is channels-first: input [channels, height, width]."] : []),
		...notes.map(formatProblem)
	];
	return { yaml: scenarioYaml(scenario, comments), notes: notes.map(formatProblem) };
}
