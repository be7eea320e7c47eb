// Prints how long each kind of test ran, then vitest's JSON report as the plain closing line
// "tests: N passed, N failed[, N skipped]".
import { readFileSync } from 'node:fs';

/** unit, e2e or load, from a test file's path (vite.config.ts's projects). */
const kindOf = (path) => (path.includes('/tests/e2e/') ? 'e2e' : path.includes('/tests/load/') ? 'load' : 'unit');

/** From each kind's first file start to its last file end: files of one kind run side by side. */
function spans(results) {
	const byKind = new Map();
	for (const { name, startTime, endTime } of results) {
		const kind = kindOf(name);
		const span = byKind.get(kind) ?? { files: 0, start: Infinity, end: -Infinity };
		byKind.set(kind, { files: span.files + 1, start: Math.min(span.start, startTime), end: Math.max(span.end, endTime) });
	}
	return [...byKind].map(([kind, { files, start, end }]) => `${kind} ${Math.round((end - start) / 1000)} s (${files} files)`).join(' · ');
}

const file = process.argv[2];
try {
	const report = JSON.parse(readFileSync(file, 'utf8'));
	if (Array.isArray(report.testResults) && report.testResults.length > 0) console.log(`time in vitest: ${spans(report.testResults)}`);
	const skipped = report.numPendingTests + report.numTodoTests;
	const tail = skipped > 0 ? `, ${skipped} skipped` : '';
	// a file that fails to load runs no test: count it, or the line would say 0 failed beside a red run
	const unloaded = (report.testResults ?? []).filter((result) => result.status === 'failed' && (result.assertionResults ?? []).length === 0);
	const unloadedText = unloaded.length > 0 ? ` (and ${unloaded.length} test file${unloaded.length === 1 ? '' : 's'} that failed to load: ${unloaded.map((result) => result.name.replace(/^.*\/tests\//, 'tests/')).join(', ')})` : '';
	console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests + unloaded.length} failed${tail}${unloadedText}`);
	if (report.numTotalTests === 0) process.exitCode = 1;
} catch {
	console.log('tests: 0 passed, 1 failed (vitest wrote no report)');
	process.exitCode = 1;
}
