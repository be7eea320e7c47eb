/**
 * The browser's copy of a student's work on one exercise: the fields as last typed (whether the
 * server has them yet), and a submission not acknowledged yet with its idempotency key, so that
 * a retry after a network error or a closed tab sends the same key and counts once.
 */
export type Fields = Record<string, string>;

export interface LocalDraft {
	fields: Fields;
	/** the server acknowledged these very fields */
	saved: boolean;
}

export interface Pending {
	key: string;
	fields: Fields;
}

function read<T>(key: string, valid: (value: unknown) => value is T): T | null {
	try {
		const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
		return valid(parsed) ? parsed : null;
	} catch {
		// storage blocked or an entry damaged: as if nothing were kept
		return null;
	}
}

function write(key: string, value: unknown): void {
	try {
		if (value === null) localStorage.removeItem(key);
		else localStorage.setItem(key, JSON.stringify(value));
	} catch {
		// storage full or blocked: the server's draft is then the only copy
	}
}

const isFields = (value: unknown): value is Fields =>
	value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
const isDraft = (value: unknown): value is LocalDraft => value !== null && typeof value === 'object' && isFields((value as LocalDraft).fields) && typeof (value as LocalDraft).saved === 'boolean';
const isPending = (value: unknown): value is Pending => value !== null && typeof value === 'object' && typeof (value as Pending).key === 'string' && isFields((value as Pending).fields);

/** One exercise of one student in this browser (two students may share a lab computer). */
export function localStore(code: string, studentNumber: string, position: number) {
	const base = `stepwise.assignment.${code}.${studentNumber}.${position}`;
	return {
		draft: (): LocalDraft | null => read(`${base}.draft`, isDraft),
		saveDraft: (draft: LocalDraft): void => write(`${base}.draft`, draft),
		pending: (): Pending | null => read(`${base}.pending`, isPending),
		setPending: (pending: Pending | null): void => write(`${base}.pending`, pending)
	};
}

/** The same fields, whatever their order; empty fields count as absent. */
export function sameFields(a: Fields | null | undefined, b: Fields | null | undefined): boolean {
	const norm = (f: Fields | null | undefined): string =>
		JSON.stringify(
			Object.entries(f ?? {})
				.filter(([, v]) => v !== '')
				.sort(([x], [y]) => x.localeCompare(y))
		);
	return norm(a) === norm(b);
}

/** A random idempotency key; crypto.randomUUID needs a secure context, which a LAN address over plain HTTP is not. */
export function newKey(): string {
	if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The answer fields of a form, as the server reads them. */
export function formFields(form: HTMLFormElement): Fields {
	const fields: Fields = {};
	for (const [name, value] of new FormData(form)) if (typeof value === 'string' && name.startsWith('q:')) fields[name] = value;
	return fields;
}
