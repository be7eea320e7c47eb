// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Teacher } from '$lib/server/storage';

declare global {
	namespace App {
		interface Locals {
			/** the teacher signed in on this request, or null */
			teacher: Teacher | null;
		}
	}
}

export {};
