/**
 * Grades back to the platform (LTI AGS 2.0). Each graded submission of a launched student queues
 * their gradebook total in the database; a sender in the server process posts the queue to the
 * line item's scores endpoint, retrying with backoff while the platform is down.
 *
 * Decisions:
 * - Rows are claimed with a lock (`claimDueGrades`), so several instances never send the same row
 *   at once; a newer score queued while one is in flight is a new version, sent after it.
 * - An assignment whose binding has no line item URL yet (the platform's link carries no line
 *   item, or no launch brought it) keeps its scores waiting, looked at again every 5 minutes (no
 *   request to the platform) and never given up for it: the first launch that brings the line
 *   item lets them go.
 * - A 409 means the platform holds a score with a later timestamp (AGS: it must not update with an
 *   older one). Stepwise's timestamps only grow, so that later score is one of ours: retrying can
 *   never succeed, and the row counts as sent.
 * - Any other refusal (5xx, 4xx, a network error, a token refused) is retried after
 *   base × 2^tries (capped), and given up as `failed` once the delays add up to a day; "Resend all"
 *   queues them again.
 */
import type { Assignment, Storage, Student } from '../storage';
import { exercisesOf } from '../assignments';
import { buildGradebook } from '../gradebook';
import { MEDIA_TYPE, SCOPE } from './claims';
import { answerInOneLine, serviceFetch, ServiceError, type Fetch } from './service-token';
import type { ActivityProgress, AssignmentBinding, Platform, QueuedGrade } from './storage';

export interface RetryTimings {
	baseMs: number;
	capMs: number;
	/** tries stop once their delays add up to this */
	giveUpMs: number;
}

const DEFAULT_TIMINGS: RetryTimings = { baseMs: 30_000, capMs: 3_600_000, giveUpMs: 24 * 3_600_000 };
/** longer than a token request and a score request together, so no other instance claims a row in flight */
const LOCK_MS = 2 * 60_000;
const BATCH = 50;
/** rows claimed per pass at most, so that one pass ends even while scores keep coming */
const MAX_PER_PASS = 2_000;
const SEND_TIMEOUT_MS = 10_000;
const PERIOD_MS = 30_000;
/** how often a score waiting for its line item looks again */
const LINE_ITEM_WAIT_MS = 5 * 60_000;

/**
 * STEPWISE_LTI_RETRY_MS = "base[,cap[,giveUp]]" in milliseconds (tests shorten them); anything
 * unreadable falls back to the defaults.
 */
export function retryTimings(env: string | undefined = process.env.STEPWISE_LTI_RETRY_MS): RetryTimings {
	const [base, cap, giveUp] = (env ?? '').split(',').map((p) => Number(p.trim()));
	const ok = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n > 0;
	const baseMs = ok(base) ? base : DEFAULT_TIMINGS.baseMs;
	const capMs = ok(cap) ? Math.max(cap, baseMs) : Math.max(DEFAULT_TIMINGS.capMs, baseMs);
	return { baseMs, capMs, giveUpMs: ok(giveUp) ? giveUp : DEFAULT_TIMINGS.giveUpMs };
}

/** The delay before the next try after `tries` failed ones (this failure not counted), or null: give up. */
export function retryDelay(tries: number, timings: RetryTimings = retryTimings()): number | null {
	const delay = (n: number): number => Math.min(timings.capMs, timings.baseMs * 2 ** Math.min(n, 40));
	let waited = 0;
	for (let n = 0; n < tries; n++) waited += delay(n);
	return waited >= timings.giveUpMs ? null : delay(tries);
}

/**
 * Queues a student's gradebook total for the platform when the assignment is bound to one and
 * the student came from it; wakes the sender. Undefined when there is nothing to send.
 */
export async function queueStudentScore(db: Storage, assignment: Assignment, student: Student, now = Date.now()): Promise<QueuedGrade | undefined> {
	const binding = await db.lti.bindingOf(assignment.id);
	if (!binding) return undefined;
	if (!(await db.lti.subjectsOf(assignment.id)).has(student.id)) return undefined;
	const exercises = exercisesOf(assignment);
	const submissions = await db.submissionsOf(student.id);
	const book = buildGradebook(exercises, [student], submissions);
	const row = book.rows[0];
	// a platform refuses a maximum of 0: an assignment without points has no grade to give
	if (!row || !(book.max > 0)) return undefined;
	const done = new Set(submissions.map((s) => s.position));
	const progress: ActivityProgress = exercises.every((_, position) => done.has(position)) ? 'Completed' : 'InProgress';
	const queued = await db.lti.queueScore({ assignmentId: assignment.id, studentId: student.id, scoreGiven: row.total, scoreMaximum: book.max, activityProgress: progress }, now);
	wakeGradeSender();
	return queued;
}

/** AGS: the scores endpoint is the line item's URL with /scores added to its path, its query kept. */
export function scoresUrl(lineItemUrl: string): string {
	const at = lineItemUrl.search(/[?#]/);
	const path = at < 0 ? lineItemUrl : lineItemUrl.slice(0, at);
	return `${path.replace(/\/+$/, '')}/scores${at < 0 ? '' : lineItemUrl.slice(at)}`;
}

export interface SendReport {
	sent: number;
	retried: number;
	failed: number;
}

type Outcome = { kind: 'sent' } | { kind: 'retry'; error: string } | { kind: 'wait'; error: string } | { kind: 'give_up'; error: string };

interface Target {
	binding: AssignmentBinding;
	platform: Platform;
	subjects: Map<number, string>;
}

async function sendOne(db: Storage, grade: QueuedGrade, target: Target | undefined, now: number, fetchImpl: Fetch): Promise<Outcome> {
	if (!target) return { kind: 'give_up', error: 'the assignment is no longer bound to a platform' };
	const subject = target.subjects.get(grade.studentId);
	if (subject === undefined) return { kind: 'give_up', error: 'the student has no user id on the platform' };
	if (!target.binding.lineItemUrl) return { kind: 'wait', error: 'no line item yet: the platform gives it at a launch of the activity' };
	const body = {
		userId: subject,
		scoreGiven: grade.scoreGiven,
		scoreMaximum: grade.scoreMaximum,
		activityProgress: grade.activityProgress,
		gradingProgress: 'FullyGraded',
		timestamp: new Date(grade.scoredAt).toISOString()
	};
	try {
		const response = await serviceFetch(
			db.lti,
			target.platform,
			[SCOPE.score],
			scoresUrl(target.binding.lineItemUrl),
			{ method: 'POST', headers: { 'content-type': MEDIA_TYPE.score }, body: JSON.stringify(body), timeoutMs: SEND_TIMEOUT_MS },
			fetchImpl,
			now
		);
		if (response.ok || response.status === 409) {
			await response.body?.cancel();
			return { kind: 'sent' };
		}
		return { kind: 'retry', error: `score refused: ${await answerInOneLine(response)}` };
	} catch (error) {
		if (error instanceof ServiceError) return { kind: 'retry', error: error.message };
		throw error;
	}
}

/** One pass of the sender: every due row claimed and sent, in order of due time. */
export async function sendDueGrades(db: Storage, now = Date.now(), fetchImpl: Fetch = fetch): Promise<SendReport> {
	const report: SendReport = { sent: 0, retried: 0, failed: 0 };
	const timings = retryTimings();
	const targets = new Map<number, Promise<Target | undefined>>();
	const targetOf = (assignmentId: number): Promise<Target | undefined> => {
		let found = targets.get(assignmentId);
		if (!found) {
			found = (async () => {
				const binding = await db.lti.bindingOf(assignmentId);
				const platform = binding && (await db.lti.platformById(binding.platformId));
				if (!binding || !platform) return undefined;
				return { binding, platform, subjects: await db.lti.subjectsOf(assignmentId) };
			})();
			targets.set(assignmentId, found);
		}
		return found;
	};
	let claimedInPass = 0;
	while (claimedInPass < MAX_PER_PASS) {
		const batch = await db.lti.claimDueGrades(now, LOCK_MS, BATCH);
		if (batch.length === 0) break;
		claimedInPass += batch.length;
		for (const grade of batch) {
			const outcome = await sendOne(db, grade, await targetOf(grade.assignmentId), now, fetchImpl);
			switch (outcome.kind) {
				case 'sent':
					await db.lti.gradeSent(grade.studentId, grade.version, grade.scoreGiven, now);
					report.sent++;
					break;
				case 'wait':
					// not a failure of the platform: never given up for it
					await db.lti.gradeFailed(grade.studentId, grade.version, outcome.error, now + Math.min(LINE_ITEM_WAIT_MS, timings.capMs));
					report.retried++;
					break;
				case 'retry': {
					const delay = retryDelay(grade.tries, timings);
					await db.lti.gradeFailed(grade.studentId, grade.version, outcome.error, delay === null ? null : now + delay);
					if (delay === null) report.failed++;
					else report.retried++;
					break;
				}
				case 'give_up':
					await db.lti.gradeFailed(grade.studentId, grade.version, outcome.error, null);
					report.failed++;
					break;
			}
		}
	}
	return report;
}

let sender: { getStorage: () => Promise<Storage>; running: Promise<void> | null; again: boolean } | null = null;

function runPass(): void {
	const current = sender;
	if (!current) return;
	if (current.running) {
		current.again = true;
		return;
	}
	current.again = false;
	current.running = (async () => {
		try {
			const report = await sendDueGrades(await current.getStorage());
			if (report.retried + report.failed > 0) console.warn(`stepwise: grades: ${report.sent} sent, ${report.retried} to retry, ${report.failed} given up`);
			// the first retry is due after the base delay: a pass then, rather than at the next period
			if (report.retried > 0) setTimeout(runPass, retryTimings().baseMs).unref();
		} catch (error) {
			console.error(`stepwise: grades: the sender stopped on ${error instanceof Error ? error.message : String(error)}`);
		} finally {
			current.running = null;
			if (current.again) runPass();
		}
	})();
}

/** Asks the sender for a pass now (a score was queued); nothing when no sender runs in this process. */
export function wakeGradeSender(): void {
	if (sender) setTimeout(runPass, 0);
}

/**
 * Starts this process's sender: a pass now, then every 30 s and whenever a score is queued, one
 * pass at a time. Returns its stop.
 */
export function startGradeSender(getStorage: () => Promise<Storage>, periodMs = PERIOD_MS): () => void {
	sender = { getStorage, running: null, again: false };
	const timer = setInterval(runPass, periodMs);
	// the sender never keeps the process alive on its own
	timer.unref();
	wakeGradeSender();
	const mine = sender;
	return () => {
		clearInterval(timer);
		if (sender === mine) sender = null;
	};
}
