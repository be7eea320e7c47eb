/**
 * What every form action shares: reading the body, and the text rule's message. A body that does
 * not parse as a form (a multipart body that never closes its boundary, text/plain garbage) is
 * the sender's mistake: 400 with a short message in the reader's language, not a 500.
 */
import { error } from '@sveltejs/kit';
import type { Localized } from '$lib/exercises/exercise';
import { m } from '$lib/paraglide/messages';

export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (e) {
		// undici's "Failed to parse body as FormData" and its kin; anything else is a bug
		if (!(e instanceof TypeError)) throw e;
		error(400, { message: 'The form body could not be read', reader: m.form_unreadable() });
	}
}

/** Why a typed text is refused (text.ts's rule), in both languages, for pages that choose the language themselves. */
export function controlMessage(code: string): Localized {
	return { fr: m.text_control_character({ code }, { locale: 'fr' }), en: m.text_control_character({ code }, { locale: 'en' }) };
}
