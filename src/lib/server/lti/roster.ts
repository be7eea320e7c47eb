/**
 * The course's roster from the platform (LTI NRPS 2.0): the learners of the assignment's course,
 * so that the gradebook can list those who have not launched Stepwise yet. A platform that is
 * slow or down costs the teacher's page at most a few seconds and one line of explanation.
 */
import type { Storage } from '../storage';
import { isLearner, MEDIA_TYPE, SCOPE } from './claims';
import { answerInOneLine, serviceFetch, ServiceError, type Fetch } from './service-token';

export interface RosterMember {
	userId: string;
	name: string | null;
	email: string | null;
	/** the student number the institution gives, when the platform shares it */
	sourcedId: string | null;
}

export type Roster = { ok: true; learners: RosterMember[] } | { ok: false; reason: string };

const TIMEOUT_MS = 3_000;
const MAX_PAGES = 20;
const CACHE_MS = 60_000;

const cache = new Map<string, { at: number; roster: Roster }>();

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** The URL of the next page, from `Link: <…>; rel="next"`. */
export function nextPage(link: string | null): string | null {
	if (!link) return null;
	for (const part of link.split(',')) {
		const match = /^<([^>]+)>(.*)$/.exec(part.trim());
		if (!match) continue;
		const rels = match[2]
			.split(';')
			.map((param) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param)?.[1] ?? '')
			.flatMap((value) => value.toLowerCase().split(/\s+/));
		if (rels.includes('next')) return match[1];
	}
	return null;
}

function learnersOf(body: unknown): RosterMember[] | null {
	const members = (body as { members?: unknown } | null)?.members;
	if (!Array.isArray(members)) return null;
	const found: RosterMember[] = [];
	for (const raw of members) {
		const m = raw as Record<string, unknown> | null;
		const userId = text(m?.user_id);
		const roles = Array.isArray(m?.roles) ? m.roles.filter((r): r is string => typeof r === 'string') : [];
		// NRPS: a member without a status is active
		const active = m?.status === undefined || m.status === 'Active';
		if (!userId || !active || !isLearner(roles)) continue;
		found.push({ userId, name: text(m?.name), email: text(m?.email), sourcedId: text(m?.lis_person_sourcedid) });
	}
	return found;
}

async function readRoster(db: Storage, assignmentId: number, fetchImpl: Fetch, now: number): Promise<Roster> {
	const binding = await db.lti.bindingOf(assignmentId);
	if (!binding) return { ok: false, reason: 'the assignment is not bound to a platform' };
	if (!binding.membershipsUrl) return { ok: false, reason: 'the platform has not given its roster service at a launch yet' };
	const platform = await db.lti.platformById(binding.platformId);
	if (!platform) return { ok: false, reason: 'the platform is no longer registered' };
	const learners: RosterMember[] = [];
	let url: string | null = binding.membershipsUrl;
	// the pages share one time limit: the teacher's page waits for them
	const started = Date.now();
	for (let page = 0; url !== null; page++) {
		if (page === MAX_PAGES) return { ok: false, reason: `the roster has more than ${MAX_PAGES} pages` };
		const left = TIMEOUT_MS - (Date.now() - started);
		if (left <= 0) return { ok: false, reason: `the platform took more than ${TIMEOUT_MS / 1000} s to give the roster` };
		let response: Response;
		try {
			response = await serviceFetch(db.lti, platform, [SCOPE.memberships], url, { method: 'GET', headers: { accept: MEDIA_TYPE.memberships }, timeoutMs: left }, fetchImpl, now);
		} catch (error) {
			if (error instanceof ServiceError) return { ok: false, reason: error.message };
			throw error;
		}
		if (!response.ok) return { ok: false, reason: `roster refused: ${await answerInOneLine(response)}` };
		const found = learnersOf(await response.json().catch(() => null));
		if (!found) return { ok: false, reason: 'the roster is not a membership container' };
		learners.push(...found);
		url = nextPage(response.headers.get('link'));
	}
	// a member on two pages (the roster changed while it was read) is listed once
	return { ok: true, learners: [...new Map(learners.map((l) => [l.userId, l])).values()] };
}

/**
 * The learners of the assignment's course on its platform, read at most once a minute per
 * assignment; never throws: a failure is `{ ok: false, reason }` in one line.
 */
export async function courseLearners(db: Storage, assignmentId: number, fetchImpl: Fetch = fetch, now = Date.now()): Promise<Roster> {
	const binding = await db.lti.bindingOf(assignmentId).catch(() => undefined);
	// keyed by the roster's URL too: two databases (tests) may number their assignments alike
	const key = `${assignmentId} ${binding?.membershipsUrl ?? ''}`;
	const cached = cache.get(key);
	if (cached && now - cached.at < CACHE_MS && now >= cached.at) return cached.roster;
	let roster: Roster;
	try {
		roster = await readRoster(db, assignmentId, fetchImpl, now);
	} catch (error) {
		roster = { ok: false, reason: `the roster could not be read: ${error instanceof Error ? error.message : String(error)}` };
	}
	cache.set(key, { at: now, roster });
	return roster;
}

/** The roster's learners who have no student in the assignment yet: they never launched it. */
export function notLaunched(learners: readonly RosterMember[], subjects: ReadonlyMap<number, string>): RosterMember[] {
	const launched = new Set(subjects.values());
	return learners.filter((l) => !launched.has(l.userId));
}
