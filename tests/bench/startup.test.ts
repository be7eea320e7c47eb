import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchStartup } from '../../bench/startup';

/** The command line's start-up benchmark, run once without the slow tsx calls: it works. No timing is asserted. */
describe('npm run -s bench -- --cli', () => {
	afterEach(() => vi.restoreAllMocks());

	it('prints a table of every call, with the goals', () => {
		const written: string[] = [];
		vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
			written.push(String(chunk));
			return true;
		});
		benchStartup(['--runs', '1', '--no-before']);
		const text = written.join('');
		for (const call of ['node -e 0', 'info (small scenario)', 'trace (small scenario)', 'variant --key', 'grade (numbers)', 'grade (an expression)', 'npm run -s cli --']) {
			expect(text).toContain(call);
		}
		expect(text).toMatch(/< 0\.3 s: (met|NOT met)/);
		expect(text).not.toContain('DIFFERS');
		// a dozen Node processes, npm's among them: minutes on a loaded machine rather than seconds
	}, 120_000);

	it('refuses an unknown option', () => {
		expect(() => benchStartup(['--fast'])).toThrow('unknown option --fast');
	});
});
