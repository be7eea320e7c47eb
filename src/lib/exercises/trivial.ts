/**
 * Answers that carry no computation: 0 or a constant where the key varies, or a copy of numbers
 * the statement gives. Error carried forward must not reward them (a student typing [[0, 0]] and
 * then everything "consistent" with it has computed nothing), unless the policy says otherwise.
 */
import type { NestedNumbers } from '../engine/tensor';

function flat(value: unknown, out: number[] = []): number[] {
	if (typeof value === 'number') out.push(value);
	else if (Array.isArray(value)) for (const item of value) flat(item, out);
	return out;
}

/** Every list of numbers the scenario writes (a weight row, a bias, an input sample, a whole matrix). */
function statementLists(value: unknown, out: number[][] = []): number[][] {
	if (!Array.isArray(value)) {
		if (value !== null && typeof value === 'object') for (const item of Object.values(value)) statementLists(item, out);
		return out;
	}
	const numbers = flat(value);
	if (numbers.length >= 2) out.push(numbers);
	for (const item of value) if (Array.isArray(item)) statementLists(item, out);
	return out;
}

const constant = (values: number[]): boolean => values.every((v) => v === values[0]);
const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= 1e-12 * Math.max(1, Math.abs(v)));

export function isTrivialAnswer(answer: NestedNumbers, key: NestedNumbers, scenario: Record<string, unknown>): boolean {
	const a = flat(answer);
	const k = flat(key);
	if (a.length === 0) return true;
	if (a.length === 1) return a[0] === 0 && k[0] !== 0;
	if (constant(a) && !constant(k)) return true;
	return statementLists(scenario).some((list) => same(list, a));
}
