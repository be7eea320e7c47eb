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
	const guessed = new Set<string>();
	const translated = issues.flatMap((issue) => translateIssue(issue, schema, input, guessed));
	// `x:` where X is required gives "data.X: missing" and "data.x: unknown key "x"; did you mean
	// X?": the second says it all and comes first in the file's words, so the first is dropped
	return translated.filter((issue) => !(issue.message.startsWith('missing') && guessed.has(JSON.stringify(issue.path))));
}

/** `guessed` collects the paths that an unknown key's "did you mean" points at. */
function translateIssue(issue: z.core.$ZodIssue, schema: z.ZodType, input: unknown, guessed: Set<string>): ScenarioIssue[] {
	const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
	const found = valueAt(input, path);
	switch (issue.code) {
		case 'unrecognized_keys': {
			const allowed = allowedKeys(schema, input, path);
			return issue.keys.map((key) => {
				const guess = closest(key, allowed);
				if (guess) guessed.add(JSON.stringify([...path, guess]));
				const hint = guess ? `did you mean ${guess}?` : `expected ${listOf(allowed)}`;
				return { path: [...path, key], message: `unknown key "${key}"; ${hint}` };
			});
		}
		case 'invalid_type': {
			if (found === undefined) return [{ path, message: 'missing' }];
			// z.int() reports its type as "number": say "a whole number" where the file needs one
			const target = schemaAt(schema, input, path);
			const expected = target instanceof z.ZodNumber && target.isInt ? 'int' : issue.expected;
			return [{ path, message: `expected ${EXPECTED_WORDS[expected] ?? expected}, got ${describeValue(found)}` }];
		}
		case 'invalid_value': {
			const options = issue.values.map(String);
			const expected = options.length === 1 ? options[0] : `one of ${listOf(options)}`;
			if (found === undefined) return [{ path, message: `missing; expected ${expected}` }];
			const guess = suggest(found, options);
			const message = `expected ${expected}, got ${describeValue(found)}`;
			return [{ path, message: guess ? `${message}; did you mean ${guess}?` : message }];
		}
		case 'invalid_union': {
			// a mapping where a number or one kind of mapping is allowed (a learning-rate schedule), written with
			// at least one of that mapping's keys: that option's issues say what is wrong inside it
			const fitting = issue.errors.filter((errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
			const keys = isMapping(found) ? Object.keys(found).length : 0;
			const allUnknown = (errors: readonly z.core.$ZodIssue[]) => errors.some((e) => e.code === 'unrecognized_keys' && e.path.length === 0 && e.keys.length === keys);
			if (issue.discriminator === undefined && keys > 0 && fitting.length === 1 && !allUnknown(fitting[0])) {
				return fitting[0].flatMap((inner) => translateIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue, schema, input, guessed));
			}
			return [unionIssue(issue, schema, input, path, found)];
		}
		case 'too_small': {
			const bound = `${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
			if (issue.origin === 'array') {
				return [{ path, message: `expected ${bound} ${Number(issue.minimum) === 1 ? 'entry' : 'entries'}, got ${describeValue(found)}` }];
			}
			return [{ path, message: `expected a number ${bound}, got ${describeValue(found)}` }];
		}
		case 'too_big': {
			// z.int() caps whole numbers at 2^53 − 1, past which they are no longer exact
			if (issue.maximum === Number.MAX_SAFE_INTEGER) {
				return [{ path, message: `expected a whole number, got ${describeValue(found)}, too large to be exact` }];
			}
			const bound = `${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
			return [{ path, message: `expected ${bound}, got ${describeValue(found)}` }];
		}
		default:
			return [{ path, message: issue.message }];
	}
}

function unionIssue(
	issue: z.core.$ZodIssueInvalidUnion,
	schema: z.ZodType,
	input: unknown,
	path: Path,
	found: unknown
): ScenarioIssue {
	// zod 4 reports an unknown discriminator at the discriminator itself (model.layers[0].type)
	// and lists the known values; older versions reported it at the object.
	if (issue.discriminator !== undefined) {
		const key = issue.discriminator;
		const atKey = path[path.length - 1] === key;
		const union = schemaAt(schema, input, atKey ? path.slice(0, -1) : path);
		const kinds =
			'options' in issue && issue.options
				? issue.options.map(String)
				: union instanceof z.ZodDiscriminatedUnion
					? union.options.map((option) => String(literalOf(option, key)))
					: [];
		const given = atKey ? found : valueAt(found, [key]);
		const keyPath = atKey ? path : [...path, key];
		if (given === undefined) return { path: keyPath, message: `missing; expected ${listOf(kinds)}` };
		const guess = suggest(given, kinds);
		return {
			path: keyPath,
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
		lr: 'a positive number, or a schedule { schedule, initial, decay_rate, decay_steps }',
		title: 'text, or { fr: …, en: … }',
		description: 'text, or { fr: …, en: … }'
	};
	const expected = what[String(last)] ?? 'another kind of value';
	if (found === undefined) return { path, message: `missing; expected ${expected}` };
	return { path, message: `expected ${expected}, got ${describeValue(found)}` };
}

/**
 * Names other libraries and courses use for what the format calls otherwise: a spelling
 * distance cannot find `mse` from `mean_squared_error`, nor `conv2d` from `convolution`.
 */
const OTHER_NAMES: Record<string, string> = {
	mean_squared_error: 'mse',
	meansquarederror: 'mse',
	l2: 'squared_error',
	crossentropy: 'binary_cross_entropy or categorical_cross_entropy',
	cross_entropy: 'binary_cross_entropy or categorical_cross_entropy',
	log_loss: 'binary_cross_entropy',
	logloss: 'binary_cross_entropy',
	linear: 'identity',
	none: 'identity',
	logistic: 'sigmoid',
	heaviside: 'step',
	threshold: 'step',
	conv: 'conv2d',
	convolution: 'conv2d',
	convolutional: 'conv2d',
	maxpool: 'pool',
	max_pool: 'pool',
	maxpooling: 'pool',
	maxpool2d: 'pool',
	maxpooling2d: 'pool',
	avgpool: 'pool',
	avg_pool: 'pool',
	averagepooling2d: 'pool',
	pooling: 'pool',
	fc: 'dense',
	fully_connected: 'dense',
	full: 'dense',
	glorot: 'xavier',
	kaiming: 'he',
	gradient_descent: 'sgd'
};

/** The option a misspelt or foreign name most likely means, if any. */
function suggest(given: unknown, options: readonly string[]): string | undefined {
	if (typeof given !== 'string') return undefined;
	const known = Object.hasOwn(OTHER_NAMES, given.toLowerCase()) ? OTHER_NAMES[given.toLowerCase()] : undefined;
	if (known && known.split(' or ').every((name) => options.includes(name))) return known;
	return closest(given, options);
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

function isMapping(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
