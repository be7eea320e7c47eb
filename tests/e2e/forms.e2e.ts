/**
 * Every form action and JSON endpoint, posted to with fetch against the built server on SQLite
 * and on PostgreSQL: a body that does not parse answers 400 with a short message, and every text
 * a person types follows text.ts's rule (control characters other than tab and newline refused
 * with a clear message, nothing stored; everything else accepted as before).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../src/lib/server/auth';
import type { Assignment, Storage, Student, Teacher } from '../../src/lib/server/storage';
import { PROJECT_ROOT } from '../helpers';
import { startApp, type AppServer } from './app-server';
import { backends, type Backend } from './backends';

const BACKENDS = backends('forms');

/** What the tests post with: the server, its database, a signed-in teacher, an open assignment and a student who joined it. */
interface Context {
	server: AppServer;
	db: Storage;
	teacher: Teacher;
	assignment: Assignment;
	student: Student;
	/** the Cookie headers of the teacher and of the student */
	teacherCookie: string;
	studentCookie: string;
}

interface Posted {
	status: number;
	text: string;
	location: string | null;
}

/**
 * A form post as a browser without script sends it (same Origin, HTML wanted), or a JSON request
 * as the pages' scripts send it. FormData brings its own multipart content type.
 */
async function post(ctx: Context, path: string, body: string | FormData, type: string | null, { cookie = '', language = 'en' } = {}): Promise<Posted> {
	const headers: Record<string, string> = { origin: ctx.server.url, accept: 'text/html', 'accept-language': language, cookie };
	if (type) headers['content-type'] = type;
	const response = await fetch(`${ctx.server.url}${path}`, { method: 'POST', redirect: 'manual', headers, body });
	return { status: response.status, text: await response.text(), location: response.headers.get('location') };
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Each form action: its path, and who posts to it. */
const ACTIONS: [string, (ctx: Context) => string, (ctx: Context) => string][] = [
	['join', (ctx) => `/join/${ctx.assignment.code}`, () => ''],
	['teacher login', () => '/teacher/login', () => ''],
	['invite a colleague', () => '/teacher/invite', (ctx) => ctx.teacherCookie],
	['account from an invitation', () => `/teacher/invite/${'t'.repeat(43)}`, () => ''],
	['new assignment', () => '/teacher/assignments/new', (ctx) => ctx.teacherCookie],
	['submit without script', (ctx) => `/a/${ctx.assignment.code}/1?/submit`, (ctx) => ctx.studentCookie],
	['practice check without script', () => '/exercises/backprop-221?/check', () => '']
];

/** Bodies that do not parse as a form, with the content type they claim. */
const UNREADABLE: [string, string, string][] = [
	['a multipart body that never closes its boundary', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nprof@univ.fr\r\n'],
	['text/plain garbage', 'text/plain', 'garbage;;==\u0000%%']
];

const LANGUAGES: [string, string][] = [
	['en', 'The form could not be read.'],
	['fr', 'Le formulaire ne se lit pas.']
];

/** The JSON endpoints of the pages' scripts. */
const ENDPOINTS: [string, (ctx: Context) => string, (ctx: Context) => string][] = [
	['submit', (ctx) => `/a/${ctx.assignment.code}/1/submit`, (ctx) => ctx.studentCookie],
	['draft', (ctx) => `/a/${ctx.assignment.code}/1/draft`, (ctx) => ctx.studentCookie],
	['practice check', () => '/exercises/backprop-221/check', () => '']
];

/** What a person might type inside a text: whether the rule refuses it in a text and in a password; a lone surrogate only travels in JSON. */
const INPUTS: { label: string; typed: string; refused: boolean; refusedInPassword: boolean; jsonOnly?: boolean }[] = [
	{ label: 'NUL', typed: '\u0000', refused: true, refusedInPassword: true },
	{ label: 'U+0001', typed: '\u0001', refused: true, refusedInPassword: true },
	{ label: 'escape U+001B', typed: '\u001b', refused: true, refusedInPassword: true },
	{ label: 'DEL', typed: '\u007f', refused: true, refusedInPassword: true },
	{ label: 'NEL U+0085', typed: '\u0085', refused: true, refusedInPassword: true },
	{ label: 'a lone surrogate', typed: '\ud800', refused: true, refusedInPassword: true, jsonOnly: true },
	{ label: 'tab', typed: '\t', refused: false, refusedInPassword: true },
	{ label: 'newline', typed: '\n', refused: false, refusedInPassword: true },
	{ label: 'accented French text', typed: ' Chloé à l’école ', refused: false, refusedInPassword: false },
	{ label: 'emoji', typed: '😀👩‍🔬', refused: false, refusedInPassword: false }
];

const codeOf = (typed: string): string => `U+${(typed.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Each form field a person types in: how a text reaches it, whether it is a password, and for
 * those that store it, what the database holds afterwards (undefined: nothing).
 */
interface Field {
	name: string;
	json?: boolean;
	password?: boolean;
	send(ctx: Context, text: string, n: number): Promise<Posted>;
	/** what the database holds of this text after the post, and what it holds once the text is accepted */
	stored?(ctx: Context, text: string, n: number, posted: Posted): Promise<{ held: unknown; expected: unknown }>;
}

const numberOf = (n: number): string => `2191${String(n).padStart(4, '0')}`;
const answerFields = (text: string): Record<string, string> => ({ 'q:a2': `0,6${text}` });

const FIELDS: Field[] = [
	{
		name: 'join: name',
		send: (ctx, text, n) => post(ctx, `/join/${ctx.assignment.code}`, form({ name: `Chloé${text}Martin`, number: numberOf(n) }), FORM),
		stored: async (ctx, text, n) => ({
			held: (await ctx.db.studentsOf(ctx.assignment.id)).find((s) => s.studentNumber === numberOf(n))?.name,
			expected: `Chloé${text}Martin`.normalize('NFC').trim().replace(/\s+/g, ' ')
		})
	},
	{ name: 'join: student number', send: (ctx, text, n) => post(ctx, `/join/${ctx.assignment.code}`, form({ name: 'Paul', number: `2192${text}${n}` }), FORM) },
	{ name: 'teacher login: email', send: (ctx, text, n) => post(ctx, '/teacher/login', form({ email: `prof${n}${text}@univ.fr`, password: 'a long password' }), FORM) },
	{ name: 'invite: email', send: (ctx, text, n) => post(ctx, '/teacher/invite', form({ email: `colleague${n}${text}@univ.fr` }), FORM, { cookie: ctx.teacherCookie }) },
	{ name: 'account: name', send: (ctx, text, n) => post(ctx, `/teacher/invite/${'n'.repeat(30)}${n}`, form({ name: `Prof${text}Martin`, password: 'a long password', confirm: 'a long password' }), FORM) },
	{
		name: 'account: password',
		password: true,
		send: (ctx, text, n) => post(ctx, `/teacher/invite/${'p'.repeat(30)}${n}`, form({ name: 'Prof Martin', password: `a long${text}password`, confirm: `a long${text}password` }), FORM)
	},
	{
		name: 'new assignment: title',
		send: (ctx, text) =>
			post(ctx, '/teacher/assignments/new', form({ title: `TD 3${text}rétropropagation`, exercise: 'conv-output-size', opens: '2030-01-01T10:00', closes: '2030-01-08T10:00', attempts: '3', feedback: 'never' }), FORM, { cookie: ctx.teacherCookie }),
		stored: async (ctx, text, _, posted) => {
			const id = /\/teacher\/assignments\/(\d+)/.exec(posted.location ?? '')?.[1];
			return { held: id ? (await ctx.db.assignmentById(Number(id)))?.title : undefined, expected: `TD 3${text}rétropropagation`.trim() };
		}
	},
	{
		name: 'new assignment: exercise file',
		send: (ctx, text) => {
			const upload = new FormData();
			Object.entries({ title: 'TD 4', opens: '2030-01-01T10:00', closes: '2030-01-08T10:00', attempts: '3', feedback: 'never' }).forEach(([name, value]) => upload.append(name, value));
			// in a comment, where a line break keeps the YAML valid
			const source = `# typed: ${text}\n# end\n${readFileSync(join(PROJECT_ROOT, 'exercises', 'conv-output-size.yaml'), 'utf8')}`;
			upload.append('files', new File([source], 'conv-output-size.yaml', { type: 'application/yaml' }));
			return post(ctx, '/teacher/assignments/new', upload, null, { cookie: ctx.teacherCookie });
		},
		stored: async (ctx, text, _, posted) => {
			const id = /\/teacher\/assignments\/(\d+)/.exec(posted.location ?? '')?.[1];
			const source = id ? (await ctx.db.assignmentById(Number(id)))?.exercises[0].source : undefined;
			return { held: source?.split('\n# end')[0], expected: `# typed: ${text}` };
		}
	},
	{ name: 'submit without script: answer', send: (ctx, text) => post(ctx, `/a/${ctx.assignment.code}/1?/submit`, form({ key: crypto.randomUUID(), ...answerFields(text) }), FORM, { cookie: ctx.studentCookie }) },
	{ name: 'submit: answer', json: true, send: (ctx, text) => post(ctx, `/a/${ctx.assignment.code}/1/submit`, JSON.stringify({ key: crypto.randomUUID(), fields: answerFields(text) }), JSON_TYPE, { cookie: ctx.studentCookie }) },
	{
		name: 'draft: answer',
		json: true,
		send: (ctx, text) => post(ctx, `/a/${ctx.assignment.code}/1/draft`, JSON.stringify({ fields: { 'q:a1': `draft ${text}`, 'q:a2': `0,6${text}` } }), JSON_TYPE, { cookie: ctx.studentCookie }),
		stored: async (ctx, text) => ({ held: (await ctx.db.draftOf(ctx.student.id, 0))?.['q:a2'], expected: `0,6${text}` })
	},
	{ name: 'practice check without script: answer', send: (ctx, text) => post(ctx, '/exercises/backprop-221?/check', form(answerFields(text)), FORM) },
	{ name: 'practice check: answer', json: true, send: (ctx, text) => post(ctx, '/exercises/backprop-221/check', JSON.stringify({ fields: answerFields(text) }), JSON_TYPE) }
];

const CONTROL_MESSAGE = 'invisible control character';

describe.each(BACKENDS)('forms on %s', (_, open) => {
	let backend: Backend;
	const ctx = {} as Context;
	beforeAll(async () => {
		backend = await open();
		ctx.server = await startApp(backend.database);
		ctx.db = await backend.open();
		ctx.teacher = await ctx.db.createTeacher('forms@univ.fr', 'Prof Forms', 'scrypt$hash');
		const session = newToken();
		await ctx.db.createSession(hashToken(session), ctx.teacher.id, Date.now() + 3_600_000);
		ctx.teacherCookie = `stepwise_session=${session}`;
		ctx.assignment = await ctx.db.createAssignment({
			teacherId: ctx.teacher.id,
			title: 'Formulaires',
			exercises: [{ exerciseId: 'backprop-221', source: readFileSync(join(PROJECT_ROOT, 'exercises', 'backprop-221.yaml'), 'utf8') }],
			opensAt: Date.now() - 3_600_000,
			closesAt: Date.now() + 86_400_000,
			attempts: 100,
			carryForward: true,
			feedback: 'immediate'
		});
		const token = newToken();
		const joined = await ctx.db.joinStudent(ctx.assignment.id, '21900000', 'Léa Petit', hashToken(token));
		if (!joined.ok) throw new Error('the student could not join');
		ctx.student = joined.student;
		ctx.studentCookie = `stepwise_student_${ctx.assignment.code}=${token}`;
	}, 60_000);
	afterAll(async () => {
		await ctx.db?.close();
		await ctx.server?.stop();
		await backend?.cleanup();
	});

	describe.each(ACTIONS)('the form action "%s"', (_, path, cookie) => {
		it.each(UNREADABLE.flatMap(([body, type, text]) => LANGUAGES.map(([language, message]) => [body, language, type, text, message])))('answers %s with 400 (%s)', async (_, language, type, body, message) => {
			const posted = await post(ctx, path(ctx), body, type, { cookie: cookie(ctx), language });
			expect(posted.status).toBe(400);
			expect(posted.text).toContain(message);
		});
	});

	it.each(ENDPOINTS)('the JSON endpoint "%s" answers a malformed JSON body with 400', async (_, path, cookie) => {
		const posted = await post(ctx, path(ctx), '{"fields": {"q:a2": "0,6"', JSON_TYPE, { cookie: cookie(ctx) });
		expect(posted.status).toBe(400);
		expect(JSON.parse(posted.text)).toMatchObject({ ok: false, message: { en: 'The request could not be read.' } });
	});

	const cases = FIELDS.flatMap((field) => INPUTS.filter((input) => field.json || !input.jsonOnly).map((input) => ({ field, input })));
	it.each(cases.map((c, n) => [c.field.name, c.input.label, c, n] as const))('%s with %s', async (_, __, { field, input }, n) => {
		const refused = field.password ? input.refusedInPassword : input.refused;
		const posted = await field.send(ctx, input.typed, n);
		expect(posted.status, posted.text.slice(0, 500)).toBeLessThan(500);
		if (refused) {
			expect(posted.status).toBe(400);
			expect(posted.text).toContain(`${CONTROL_MESSAGE} (${codeOf(input.typed)})`);
		} else expect(posted.text).not.toContain(CONTROL_MESSAGE);
		if (field.stored) {
			// refused: nothing of it stored (a draft keeps the one saved before)
			const { held, expected } = await field.stored(ctx, input.typed, n, posted);
			if (refused) expect(typeof held === 'string' && held.includes(input.typed)).toBe(false);
			else expect(held).toBe(expected);
		}
	});
});
