// Prints vitest's JSON report as the plain closing line "tests: N passed, N failed[, N skipped]".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
try {
	const report = JSON.parse(readFileSync(file, 'utf8'));
	const skipped = report.numPendingTests + report.numTodoTests;
	const tail = skipped > 0 ? `, ${skipped} skipped` : '';
	console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${tail}`);
	if (report.numTotalTests === 0) process.exitCode = 1;
} catch {
	console.log('tests: 0 passed, 1 failed (vitest wrote no report)');
	process.exitCode = 1;
}
