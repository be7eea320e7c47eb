/**
 * `npm run -s audit:grading [-- --students alice,bob,chloé] [--exercise ID] [--mistake CODE]`:
 * the grader's fairness to a student who makes one catalogued mistake throughout (grading.ts),
 * over the library: the counts, a table of the answers not credited by exercise and mistake,
 * then each unfair case (exercise, student, mistake, question, verdict, answer, key).
 */
import { auditGrading, DEFAULT_STUDENTS, formatAudit, libraryExercises } from './grading';

function option(argv: readonly string[], name: string): string[] | undefined {
	const i = argv.indexOf(name);
	if (i < 0) return undefined;
	const value = argv[i + 1];
	if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
	return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

try {
	const argv = process.argv.slice(2);
	const unknown = argv.filter((a, i) => a.startsWith('--') && !['--students', '--exercise', '--mistake'].includes(a) && !argv[i - 1]?.startsWith('--'));
	if (unknown.length > 0) throw new Error(`unknown option ${unknown[0]} (known: --students, --exercise, --mistake)`);
	const only = option(argv, '--exercise');
	const exercises = libraryExercises().filter((e) => !only || only.includes(e.id));
	if (only && exercises.length === 0) throw new Error(`no library exercise ${only.join(', ')}`);
	const started = performance.now();
	const counts = auditGrading({ exercises, students: option(argv, '--students') ?? DEFAULT_STUDENTS, mistakes: option(argv, '--mistake') });
	process.stdout.write(`${formatAudit(counts)}\n\n(${((performance.now() - started) / 1000).toFixed(2)} s)\n`);
} catch (error) {
	process.stderr.write(`audit:grading: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
}
