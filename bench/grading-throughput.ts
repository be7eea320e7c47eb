/**
 * Grading throughput of one instance: what the submit endpoint computes on the server for each
 * submission (the student's variant drawn from the assignment's seed, then the answers graded,
 * error carried forward), for every exercise of the library, on one Node thread as one app
 * instance runs it. No database, no HTTP: the CPU work alone.
 *
 *   npx tsx bench/grading-throughput.ts [students per exercise, default 40]
 *
 * Three kinds of answers: the key (right), every number 10 % off (wrong: marking and carried
 * errors are tried), and nothing (blank).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildExerciseLibrary } from '../src/lib/server/exercise-library';
import type { NestedNumbers } from '../src/lib/engine/tensor';
import type { Exercise } from '../src/lib/exercises/exercise';
import { gradeAnswers, type Answers } from '../src/lib/exercises/grade';
import { answerKey } from '../src/lib/exercises/key';
import { drawVariant, type Variant } from '../src/lib/exercises/variant';

const STUDENTS = Number(process.argv[2] ?? 40);
const SEED = 'bench-assignment';

const folder = join(import.meta.dirname, '..', 'exercises');
const library = buildExerciseLibrary(Object.fromEntries(readdirSync(folder).filter((f) => f.endsWith('.yaml')).map((f) => [f, readFileSync(join(folder, f), 'utf8')])));

type Kind = 'right' | 'wrong' | 'blank';

const off = (value: NestedNumbers): NestedNumbers => (Array.isArray(value) ? value.map(off) : value * 1.1 + 0.01);

function answersOf(kind: Kind, exercise: Exercise, variant: Variant): Answers {
	if (kind === 'blank') return {};
	const answers: Record<string, string> = {};
	for (const [id, value] of Object.entries(answerKey(exercise, variant))) {
		if (typeof value === 'string') answers[id] = kind === 'right' ? value : value === 'A' ? 'B' : 'A';
		else answers[id] = JSON.stringify(kind === 'right' ? value : off(value));
	}
	return answers;
}

/** Milliseconds for one submission: the variant drawn, then graded, as submitAnswers does. */
function submission(exercise: Exercise, student: string, kind: Kind): number {
	const started = performance.now();
	const drawn = drawVariant(exercise, student, SEED);
	if (!drawn.ok) throw new Error(`${exercise.id}: ${drawn.message}`);
	// the answers are typed by the student, not computed by the server: built outside the timing
	const pause = performance.now();
	const answers = answersOf(kind, exercise, drawn.variant);
	const resumed = performance.now();
	gradeAnswers(exercise, drawn.variant, answers, { carryForward: true });
	return performance.now() - started - (resumed - pause);
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// a first pass warms the JIT and the parsers, as a server that has been up for a while
for (const exercise of library) submission(exercise, 'warm-up', 'wrong');

const perExercise = new Map<string, number[]>();
for (const kind of ['right', 'wrong', 'blank'] as const) {
	const times: number[] = [];
	for (const exercise of library) {
		for (let s = 0; s < STUDENTS; s++) {
			const ms = submission(exercise, `2190${String(s).padStart(4, '0')}`, kind);
			times.push(ms);
			const mine = perExercise.get(exercise.id) ?? [];
			mine.push(ms);
			perExercise.set(exercise.id, mine);
		}
	}
	const total = times.reduce((a, b) => a + b, 0);
	console.log(
		`${kind.padEnd(5)}: ${times.length} submissions, ${((times.length / total) * 1000).toFixed(0)}/s, mean ${(total / times.length).toFixed(2)} ms, p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${Math.max(...times).toFixed(1)} ms`
	);
}
const slowest = [...perExercise].map(([id, ms]) => [id, ms.reduce((a, b) => a + b, 0) / ms.length] as const).sort((a, b) => b[1] - a[1]);
console.log(`slowest exercises (mean ms per submission, all kinds): ${slowest.slice(0, 5).map(([id, ms]) => `${id} ${ms.toFixed(1)}`).join(', ')}`);
console.log(`fastest: ${slowest.slice(-3).map(([id, ms]) => `${id} ${ms.toFixed(2)}`).join(', ')}; ${library.length} exercises, ${STUDENTS} students each`);
