/**
 * What a platform's registration must hold before it is stored, for the page (/teacher/platforms),
 * the command line (`stepwise lti platform add`) and dynamic registration alike. Each refusal
 * names the field (as the form labels it) and what is wrong, in French and English.
 *
 * Relative imports, without the app's aliases, so that the command line uses it too.
 */
import { z } from 'zod';
import type { Localized } from '../../exercises/exercise';
import { m } from '../../paraglide/messages';
import { controlCharacter } from '../text';
import type { PlatformInput } from './storage';

export type PlatformField = keyof PlatformInput;

export const PLATFORM_FIELDS: readonly PlatformField[] = ['name', 'issuer', 'clientId', 'deploymentIds', 'authUrl', 'jwksUrl', 'tokenUrl'];

export const LIMITS = { name: 100, clientId: 255, deploymentId: 255, deployments: 20, url: 2048 } as const;

/** What was typed: deployment ids as a list, or as one text separated by commas or line breaks. */
export type PlatformForm = { [K in Exclude<PlatformField, 'deploymentIds'>]?: string } & { deploymentIds?: string | string[] };

export interface PlatformProblem {
	field: PlatformField;
	message: Localized;
}

export type PlatformCheck = { ok: true; platform: PlatformInput } | { ok: false; problems: PlatformProblem[] };

/** Why a field is refused; zod carries it as the issue's message. */
type Problem =
	| { code: 'required' }
	| { code: 'too_long'; max: number }
	| { code: 'control'; character: string }
	| { code: 'not_url' }
	| { code: 'not_https' }
	| { code: 'spaces' }
	| { code: 'too_many'; max: number }
	| { code: 'deployment_too_long'; id: string; max: number };

/** Loopback hosts, where plain http is accepted: tests and a platform on the same machine. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An https URL, or http on the loopback address; what is wrong otherwise. */
export function urlProblem(text: string): Problem | null {
	if (text === '') return { code: 'required' };
	if (text.length > LIMITS.url) return { code: 'too_long', max: LIMITS.url };
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { code: 'not_url' };
	}
	if (url.protocol === 'https:') return url.hostname ? null : { code: 'not_url' };
	if (url.protocol === 'http:') return LOOPBACK.has(url.hostname) ? null : { code: 'not_https' };
	return { code: 'not_url' };
}

/** The deployment ids of a list or a text, split at commas and line breaks, trimmed, each once. */
export function splitDeployments(value: string | string[] | undefined): string[] {
	const parts = (Array.isArray(value) ? value : [value ?? '']).flatMap((text) => text.split(/[,\r\n]+/));
	return [...new Set(parts.map((id) => id.trim()).filter((id) => id !== ''))];
}

const fail = (ctx: z.RefinementCtx, problem: Problem): void => ctx.addIssue({ code: 'custom', message: JSON.stringify(problem) });

function text(max: number, rule?: (value: string) => Problem | null) {
	return z.string().superRefine((value, ctx) => {
		const character = controlCharacter(value);
		const problem: Problem | null =
			value === '' ? { code: 'required' } : value.length > max ? { code: 'too_long', max } : character ? { code: 'control', character } : (rule?.(value) ?? null);
		if (problem) fail(ctx, problem);
	});
}

const url = z.string().superRefine((value, ctx) => {
	const problem = urlProblem(value);
	if (problem) fail(ctx, problem);
});

const schema = z.object({
	name: text(LIMITS.name),
	issuer: url,
	clientId: text(LIMITS.clientId, (value) => (/\s/.test(value) ? { code: 'spaces' } : null)),
	deploymentIds: z.array(z.string()).superRefine((ids, ctx) => {
		if (ids.length === 0) return fail(ctx, { code: 'required' });
		if (ids.length > LIMITS.deployments) return fail(ctx, { code: 'too_many', max: LIMITS.deployments });
		const long = ids.find((id) => id.length > LIMITS.deploymentId);
		if (long) return fail(ctx, { code: 'deployment_too_long', id: `${long.slice(0, 20)}…`, max: LIMITS.deploymentId });
		const character = ids.map((id) => controlCharacter(id)).find((c) => c !== null);
		if (character) fail(ctx, { code: 'control', character });
	}),
	authUrl: url,
	jwksUrl: url,
	tokenUrl: url
});

/** The field's name as the form labels it (Moodle's words where Moodle has one). */
export function fieldLabel(field: PlatformField, locale: 'fr' | 'en'): string {
	const labels: Record<PlatformField, (inputs: object, options: { locale: 'fr' | 'en' }) => string> = {
		name: m.lti_platforms_field_name,
		issuer: m.lti_platforms_field_issuer,
		clientId: m.lti_platforms_field_client_id,
		deploymentIds: m.lti_platforms_field_deployments,
		authUrl: m.lti_platforms_field_auth_url,
		jwksUrl: m.lti_platforms_field_jwks_url,
		tokenUrl: m.lti_platforms_field_token_url
	};
	return labels[field]({}, { locale });
}

function say(field: PlatformField, problem: Problem, locale: 'fr' | 'en'): string {
	const options = { locale };
	const what = fieldLabel(field, locale);
	switch (problem.code) {
		case 'required':
			return m.lti_platforms_problem_required({ field: what }, options);
		case 'too_long':
			return m.lti_platforms_problem_too_long({ field: what, max: problem.max }, options);
		case 'control':
			return m.lti_platforms_problem_control({ field: what, code: problem.character }, options);
		case 'not_url':
			return m.lti_platforms_problem_not_url({ field: what }, options);
		case 'not_https':
			return m.lti_platforms_problem_not_https({ field: what }, options);
		case 'spaces':
			return m.lti_platforms_problem_spaces({ field: what }, options);
		case 'too_many':
			return m.lti_platforms_problem_too_many({ field: what, max: problem.max }, options);
		case 'deployment_too_long':
			return m.lti_platforms_problem_deployment_too_long({ field: what, id: problem.id, max: problem.max }, options);
	}
}

/** The registration as stored (texts trimmed, deployment ids split), or every field's problem. */
export function checkPlatform(form: PlatformForm): PlatformCheck {
	const trimmed = (value: string | undefined): string => (value ?? '').trim();
	const input = {
		name: trimmed(form.name),
		issuer: trimmed(form.issuer),
		clientId: trimmed(form.clientId),
		deploymentIds: splitDeployments(form.deploymentIds),
		authUrl: trimmed(form.authUrl),
		jwksUrl: trimmed(form.jwksUrl),
		tokenUrl: trimmed(form.tokenUrl)
	};
	const parsed = schema.safeParse(input);
	if (parsed.success) return { ok: true, platform: parsed.data };
	const problems: PlatformProblem[] = [];
	for (const issue of parsed.error.issues) {
		const field = issue.path[0] as PlatformField;
		if (problems.some((p) => p.field === field)) continue;
		const problem = JSON.parse(issue.message) as Problem;
		problems.push({ field, message: { fr: say(field, problem, 'fr'), en: say(field, problem, 'en') } });
	}
	problems.sort((a, b) => PLATFORM_FIELDS.indexOf(a.field) - PLATFORM_FIELDS.indexOf(b.field));
	return { ok: false, problems };
}
