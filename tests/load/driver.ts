/**
 * The load of the teachers' issue, shared by the load tests: many students at once, each
 * submitting one exercise several times, some requests sent twice with the same key (a client
 * that timed out), spread over the instances a reverse proxy would send them to. A request
 * that gets no answer or a 5xx is sent again with its key until it is acknowledged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { retryAfterMs, retryDelay } from '../../src/lib/components/assignment/backoff';
import { hashPassword, hashToken, newToken } from '../../src/lib/server/auth';
import type { Storage } from '../../src/lib/server/storage';
import { PROJECT_ROOT } from '../helpers';

/** Every request is sent again with the same key with this probability, as a client that timed out would. */
const RETRY_SHARE = 0.2;

export interface Seeded {
	assignmentId: number;
	code: string;
	tokens: string[];
	submissions: number;
}

/** A teacher, an open assignment of one exercise with `submissions` attempts, and `students` students who joined. */
export async function seed(storage: Storage, name: string, students: number, submissions: number): Promise<Seeded> {
	const teacher = await storage.createTeacher(`${name}@univ.fr`, name, await hashPassword('a long password'));
	const now = Date.now();
	const assignment = await storage.createAssignment({
		teacherId: teacher.id,
		title: 'Load',
		exercises: [{ exerciseId: 'backprop-221', source: readFileSync(join(PROJECT_ROOT, 'exercises/backprop-221.yaml'), 'utf8') }],
		opensAt: now - 3_600_000,
		closesAt: now + 3_600_000,
		attempts: submissions,
		carryForward: true,
		feedback: 'immediate'
	});
	const tokens: string[] = [];
	for (let i = 0; i < students; i++) {
		const token = newToken();
		await storage.joinStudent(assignment.id, `2190${String(i).padStart(4, '0')}`, `Student ${i}`, hashToken(token));
		tokens.push(token);
	}
	return { assignmentId: assignment.id, code: assignment.code, tokens, submissions };
}

/** A seeded random in [0, 1), so the retries are the same from one run to the next. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

export interface Target {
	name: string;
	url: string;
}

export interface LoadOptions {
	/** the instances a proxy would send a request to now; each request goes to the next one */
	targets: () => Target[];
	/** after each acknowledged submission, with how many there are and the result so far */
	onAcknowledged?: (count: number, progress: LoadResult) => void;
	/** a student's pause between two submissions (a light load) */
	thinkMs?: number;
}

export interface Failure {
	/** an HTTP status, or 0 when no answer came */
	status: number;
	body: string;
}

export interface LoadResult {
	acknowledged: Set<string>;
	duplicatesAcknowledged: number;
	/** the latencies of acknowledged requests (the try that was answered), by instance */
	latencies: Map<string, number[]>;
	/** each acknowledged submission's wait, from its first try to the acknowledgement, retries and pauses included */
	waits: number[];
	/** each acknowledged request: when it was answered (performance.now()) and how long that try took */
	answered: { at: number; ms: number }[];
	/** the answers that were not acknowledgements, in order */
	failures: Failure[];
	seconds: number;
}

export async function load(seeded: Seeded, { targets, onAcknowledged = () => {}, thinkMs = 0 }: LoadOptions): Promise<LoadResult> {
	const result: LoadResult = { acknowledged: new Set(), duplicatesAcknowledged: 0, latencies: new Map(), waits: [], answered: [], failures: [], seconds: 0 };
	let sent = 0;
	const send = async (token: string, key: string): Promise<{ ok: boolean; duplicate: boolean }> => {
		const first = performance.now();
		for (let attempt = 0; attempt < 200; attempt++) {
			const live = targets();
			const target = live[sent++ % live.length];
			const started = performance.now();
			let asked: number | null = null;
			try {
				const response = await fetch(`${target.url}/a/${seeded.code}/1/submit`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', cookie: `stepwise_student_${seeded.code}=${token}`, origin: target.url },
					body: JSON.stringify({ key, fields: { 'q:a2': '0,5', 'q:dw1': '0,01' } })
				});
				if (response.ok) {
					const body = (await response.json()) as { ok: boolean; duplicate: boolean };
					const latencies = result.latencies.get(target.name) ?? [];
					const now = performance.now();
					latencies.push(now - started);
					result.latencies.set(target.name, latencies);
					result.answered.push({ at: now, ms: now - started });
					result.waits.push(now - first);
					return body;
				}
				const text = await response.text();
				if (response.status < 500) throw new Error(`refused: ${response.status} ${text}`);
				result.failures.push({ status: response.status, body: text });
				asked = retryAfterMs(response.headers.get('retry-after'), Date.now());
			} catch (error) {
				if (error instanceof Error && error.message.startsWith('refused')) throw error;
				result.failures.push({ status: 0, body: error instanceof Error ? error.message : String(error) });
			}
			// the page's pause: not before the Retry-After, spread by a jitter (the window does not grow here: the driver keeps trying)
			await new Promise((r) => setTimeout(r, retryDelay(0, asked)));
		}
		throw new Error(`${key} was never acknowledged`);
	};
	const started = performance.now();
	await Promise.all(
		seeded.tokens.map(async (token, i) => {
			const draw = random(i + 1);
			for (let k = 0; k < seeded.submissions; k++) {
				const key = `load-${i}-${k}-${'x'.repeat(8)}`;
				const sends = draw() < RETRY_SHARE ? [send(token, key), send(token, key)] : [send(token, key)];
				const answers = await Promise.all(sends);
				result.duplicatesAcknowledged += answers.filter((a) => a.duplicate).length;
				result.acknowledged.add(key);
				onAcknowledged(result.acknowledged.size, result);
				if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs));
			}
		})
	);
	result.seconds = (performance.now() - started) / 1000;
	return result;
}

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One line per instance: acknowledged requests, their rate over the whole run, p50 and p99. */
export function report(label: string, result: LoadResult): string {
	const lines = [...result.latencies].map(
		([name, latencies]) =>
			`${label}: ${name}: ${latencies.length} requests acknowledged, ${(latencies.length / result.seconds).toFixed(0)}/s, p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`
	);
	const busy = result.failures.filter((f) => f.status === 503).length;
	const failed = result.failures.length > 0 ? `, ${result.failures.length} answers sent again after a failure (${busy} of them 503)` : '';
	return [
		`${label}: ${result.acknowledged.size} submissions in ${result.seconds.toFixed(1)} s (${(result.acknowledged.size / result.seconds).toFixed(0)}/s), ${result.duplicatesAcknowledged} retries answered as duplicates${failed}`,
		...lines,
		`${label}: from the first try to the acknowledgement, retries and pauses included: p50 ${percentile(result.waits, 50).toFixed(0)} ms, p99 ${percentile(result.waits, 99).toFixed(0)} ms`
	].join('\n');
}

/** The p99 of the requests answered in each second after `from` (performance.now()), as `+0 s: p99 … ms (n)`. */
export function recovery(label: string, result: LoadResult, from: number, seconds: number): string {
	const lines = [];
	for (let second = 0; second < seconds; second++) {
		const within = result.answered.filter((a) => a.at >= from + second * 1000 && a.at < from + (second + 1) * 1000).map((a) => a.ms);
		lines.push(`${label}: +${second} s: ${within.length > 0 ? `p99 ${percentile(within, 99).toFixed(0)} ms` : 'nothing answered'} (${within.length} requests)`);
	}
	return lines.join('\n');
}
