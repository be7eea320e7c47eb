// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Teacher } from '$lib/server/storage';

declare global {
	namespace App {
		interface Error {
			/** for the logs and for scripts, in English */
			message: string;
			/** a sentence written for the reader, in their language: the error page shows it in place of its own */
			reader?: string;
		}
		interface Locals {
			/** the teacher signed in on this request, or null */
			teacher: Teacher | null;
		}
	}
}

export {};
