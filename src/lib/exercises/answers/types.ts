/**
 * Types and the internal failure helper shared by the answer parser modules
 * (`../answer.ts` is the public entry point and re-exports the public types).
 */

export type Expect = 'number' | 'vector' | 'matrix';
export type FailReason = 'empty' | 'syntax' | 'not-allowed' | 'shape' | 'too-long' | 'not-finite';
/** Every message exists in French and English; the UI picks one. */
export type Message = { fr: string; en: string };

/** Thrown inside the parser and turned into a `ParseFailure` at the boundary. */
export class Fail {
	constructor(
		readonly reason: FailReason,
		readonly message: Message,
		readonly at?: number
	) {}
}

export const fail = (reason: FailReason, fr: string, en: string, at?: number): never => {
	throw new Fail(reason, { fr, en }, at);
};

/** Shows a piece of the student's input inside a message, shortened if long. */
export const quote = (s: string): string => (s.length > 24 ? `${s.slice(0, 20)}…` : s);
