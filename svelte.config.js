import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		// the cross-site form check is made in hooks.server.ts (src/lib/server/csrf.ts), which lets
		// learning platforms post LTI launches; every other address is checked as SvelteKit would
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
