/**
 * Why a launch is refused: a code, which the person launching reads as one sentence in their
 * language, and a detail for the server's log (what exactly did not match), never shown.
 */
export type RefusalCode =
	| 'not_a_launch'
	| 'unknown_platform'
	| 'ambiguous_platform'
	| 'unknown_deployment'
	| 'expired'
	| 'replayed'
	| 'bad_signature'
	| 'wrong_issuer'
	| 'wrong_audience'
	| 'invalid_token'
	| 'wrong_message'
	| 'missing_claim'
	| 'other_context'
	| 'not_linked'
	| 'not_instructor'
	| 'deep_link_expired';

export interface Refusal {
	code: RefusalCode;
	detail: string;
}

/** The HTTP status of each refusal: the request itself is wrong (400), not proven (401), or not allowed (403). */
export const REFUSAL_STATUS: Record<RefusalCode, 400 | 401 | 403 | 404> = {
	not_a_launch: 400,
	unknown_platform: 401,
	ambiguous_platform: 400,
	unknown_deployment: 401,
	expired: 401,
	replayed: 401,
	bad_signature: 401,
	wrong_issuer: 401,
	wrong_audience: 401,
	invalid_token: 401,
	wrong_message: 400,
	missing_claim: 400,
	other_context: 403,
	not_linked: 404,
	not_instructor: 403,
	deep_link_expired: 401
};

export const refused = (code: RefusalCode, detail: string): { ok: false; refusal: Refusal } => ({ ok: false, refusal: { code, detail } });
