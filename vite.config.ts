import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		sveltekit(),
		// French or English: the reader's choice (cookie), else the browser's preference, else English.
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		})
	],
	// module workers: the run worker's dynamic import of gpu.js stays a chunk of its own, fetched by
	// the first run large enough to use it, instead of being inlined into every replay's first download
	worker: { format: 'es' },
	test: {
		projects: [
			// CLI tests spawn a Node process each: give them room on a loaded 2-core machine
			{ extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.e2e.ts'],
					environment: 'node',
					globalSetup: ['tests/e2e/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 30_000
				}
			},
			// The load test saturates both cores: it runs after every other test, alone, so that it
			// neither slows them into timeouts nor is slowed by them.
			{
				extends: true,
				test: {
					name: 'load',
					include: ['tests/load/**/*.load.ts'],
					environment: 'node',
					fileParallelism: false,
					testTimeout: 180_000,
					sequence: { groupOrder: 1 }
				}
			}
		]
	}
});
