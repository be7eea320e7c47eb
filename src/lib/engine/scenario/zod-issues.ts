import { z } from 'zod';
import { closest, describeValue, listOf, type ScenarioIssue } from './issues';

type Path = (string | number)[];

const EXPECTED_WORDS: Record<string, string> = {
	number: 'a finite number',
	int: 'a whole number',
	string: 'text',
	boolean: 'true or false',
	array: 'a list',
	object: 'a mapping (key: value)',
	tuple: 'a list',
	null: 'null'
};

/** Turns zod's issues into messages that say where and what, in the words of the scenario format. */
export function translateZodIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, input: unknown): ScenarioIssue[] {
	return issues.flatMap((issue): ScenarioIssue[] => {
		const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
		const found = valueAt(input, path);
		switch (issue.code) {
			case 'unrecognized_keys': {
				const allowed = allowedKeys(schema, input, path);
				return issue.keys.map((key) => {
					const guess = closest(key, allowed);
					const hint = guess ? `did you mean ${guess}?` : `expected ${listOf(allowed)}`;
					return { path: [...path, key], message: `unknown key "${key}"; ${hint}` };
				});
			}
			case 'invalid_type':
				if (found === undefined) return [{ path, message: 'missing' }];
				return [{ path, message: `expected ${EXPECTED_WORDS[issue.expected] ?? issue.expected}, got ${describeValue(found)}` }];
			case 'invalid_value': {
				const options = issue.values.map(String);
				const guess = typeof found === 'string' ? closest(found, options) : undefined;
				const message =
					options.length === 1
						? `expected ${options[0]}, got ${describeValue(found)}`
						: `expected one of ${listOf(options)}, got ${describeValue(found)}`;
				return [{ path, message: guess ? `${message}; did you mean ${guess}?` : message }];
			}
			case 'invalid_union':
				return [unionIssue(issue, schema, input, path, found)];
			case 'too_small': {
				const bound = `${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
				if (issue.origin === 'array') return [{ path, message: `expected ${bound} entries, got ${describeValue(found)}` }];
				return [{ path, message: `expected a number ${bound}, got ${describeValue(found)}` }];
			}
			case 'too_big': {
				const bound = `${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
				return [{ path, message: `expected ${bound}, got ${describeValue(found)}` }];
			}
			default:
				return [{ path, message: issue.message }];
		}
	});
}

function unionIssue(
	issue: z.core.$ZodIssueInvalidUnion,
	schema: z.ZodType,
	input: unknown,
	path: Path,
	found: unknown
): ScenarioIssue {
	const union = schemaAt(schema, input, path);
	if (union instanceof z.ZodDiscriminatedUnion) {
		const key = String(issue.discriminator ?? 'type');
		const kinds = union.options.map((option) => String(literalOf(option, key)));
		const given = found !== null && typeof found === 'object' ? (found as Record<string, unknown>)[key] : undefined;
		if (given === undefined) return { path: [...path, key], message: `missing; expected ${listOf(kinds)}` };
		const guess = typeof given === 'string' ? closest(given, kinds) : undefined;
		return {
			path: [...path, key],
			message: `unknown ${key} ${describeValue(given)}; expected ${listOf(kinds)}${guess ? ` (did you mean ${guess}?)` : ''}`
		};
	}
	const last = path[path.length - 1];
	const what: Record<string, string> = {
		input: 'a number of features, or [channels, height, width] for images',
		kernel: 'a positive whole number, or [height, width]',
		size: 'a positive whole number, or [height, width]',
		stride: 'a positive whole number, or [height, width]',
		padding: 'a whole number ≥ 0, or [height, width]',
		title: 'text, or { fr: …, en: … }',
		description: 'text, or { fr: …, en: … }'
	};
	return { path, message: `expected ${what[String(last)] ?? 'another kind of value'}, got ${describeValue(found)}` };
}

function literalOf(option: unknown, key: string): unknown {
	if (!(option instanceof z.ZodObject)) return undefined;
	const field = option.shape[key];
	return field instanceof z.ZodLiteral ? field.value : undefined;
}

export function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
	let current = input;
	for (const key of path) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

function unwrap(schema: z.ZodType): z.ZodType {
	let current = schema;
	while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
	return current;
}

/** Follows `path` down the schema, choosing a discriminated union's option by the input's value. */
function schemaAt(schema: z.ZodType, input: unknown, path: Path): z.ZodType | undefined {
	let current: z.ZodType | undefined = unwrap(schema);
	for (let depth = 0; depth < path.length && current; depth++) {
		current = unwrap(pickOption(current, valueAt(input, path.slice(0, depth))));
		const key = path[depth];
		if (current instanceof z.ZodObject) current = current.shape[key] as z.ZodType | undefined;
		else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
		else return undefined;
	}
	return current ? unwrap(current) : undefined;
}

function pickOption(schema: z.ZodType, value: unknown): z.ZodType {
	if (!(schema instanceof z.ZodDiscriminatedUnion) || value === null || typeof value !== 'object') return schema;
	const type = (value as Record<string, unknown>).type;
	return (schema.options.find((option) => literalOf(option, 'type') === type) as z.ZodType | undefined) ?? schema;
}

function allowedKeys(schema: z.ZodType, input: unknown, path: Path): string[] {
	const target = schemaAt(schema, input, path);
	const object = target ? pickOption(target, valueAt(input, path)) : undefined;
	return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}
