import { ScenarioError, type ScenarioIssue } from '../engine/scenario/issues';

/** Whether pasted text looks like Keras code rather than a YAML scenario (which may name Keras in a title). */
export function looksLikeKeras(text: string): boolean {
	return /\b(?:Sequential|keras)\b|\.add\s*\(\s*(?:\w+\.)*(?:Dense|Conv2D)\s*\(/.test(text) && !/^\s*(?:model|perceptron|data|scenario)\s*:/m.test(text);
}

export type Pasted = { kind: 'yaml' } | { kind: 'keras'; yaml: string } | { kind: 'refused'; issues: ScenarioIssue[] };

/**
 * What the replay's editor does with its text: YAML as it is; Keras code converted to scenario
 * YAML, the reader loaded only then, or its issues (line and column) when it refuses the code.
 */
export async function convertPasted(text: string): Promise<Pasted> {
	if (!looksLikeKeras(text)) return { kind: 'yaml' };
	const { kerasToYaml } = await import('./yaml');
	try {
		return { kind: 'keras', yaml: kerasToYaml(text).yaml };
	} catch (error) {
		if (error instanceof ScenarioError) return { kind: 'refused', issues: error.issues };
		throw error;
	}
}
