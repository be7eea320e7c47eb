/**
 * A refused launch as the person launching sees it: one sentence in their language, inside the
 * platform's frame or window, and the detail in the server's log for whoever looks into it.
 */
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';
import { REFUSAL_STATUS, type Refusal, type RefusalCode } from './refusal';

const SENTENCES: Record<RefusalCode, (locale: Locale) => string> = {
	not_a_launch: (locale) => m.lti_refused_not_a_launch({}, { locale }),
	unknown_platform: (locale) => m.lti_refused_unknown_platform({}, { locale }),
	ambiguous_platform: (locale) => m.lti_refused_ambiguous_platform({}, { locale }),
	unknown_deployment: (locale) => m.lti_refused_unknown_deployment({}, { locale }),
	expired: (locale) => m.lti_refused_expired({}, { locale }),
	replayed: (locale) => m.lti_refused_replayed({}, { locale }),
	bad_signature: (locale) => m.lti_refused_bad_signature({}, { locale }),
	wrong_issuer: (locale) => m.lti_refused_wrong_issuer({}, { locale }),
	wrong_audience: (locale) => m.lti_refused_wrong_audience({}, { locale }),
	invalid_token: (locale) => m.lti_refused_invalid_token({}, { locale }),
	wrong_message: (locale) => m.lti_refused_wrong_message({}, { locale }),
	missing_claim: (locale) => m.lti_refused_missing_claim({}, { locale }),
	other_context: (locale) => m.lti_refused_other_context({}, { locale }),
	not_linked: (locale) => m.lti_refused_not_linked({}, { locale }),
	not_instructor: (locale) => m.lti_refused_not_instructor({}, { locale }),
	deep_link_expired: (locale) => m.lti_refused_deep_link_expired({}, { locale })
};

export function refusalSentence(code: RefusalCode, locale: Locale = getLocale()): string {
	return SENTENCES[code](locale);
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function refusalResponse(refusal: Refusal, where: string): Response {
	console.warn(`stepwise: LTI ${where} refused (${refusal.code}): ${refusal.detail}`);
	const locale = getLocale();
	const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(m.lti_refused_title({}, { locale }))} · Stepwise</title>
<style>body{font:1rem/1.5 system-ui,sans-serif;color:#1f2933;max-width:36rem;margin:3rem auto;padding:0 1rem}h1{font-size:1.25rem}p.more{color:#52606d;font-size:.9rem}</style></head>
<body><main><h1>${escape(m.lti_refused_title({}, { locale }))}</h1><p data-refusal="${refusal.code}">${escape(refusalSentence(refusal.code, locale))}</p><p class="more">${escape(m.lti_refused_again({}, { locale }))}</p><p><a href="/">${escape(m.lti_back_home({}, { locale }))}</a></p></main></body></html>`;
	return new Response(html, { status: REFUSAL_STATUS[refusal.code], headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
