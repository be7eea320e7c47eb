/**
 * What the teacher's assignment page shows of an assignment bound to a platform: where each
 * student's grade stands in the queue, and the platform's learners who have not launched yet.
 */
import type { Assignment, Storage } from '../storage';
import { courseLearners, notLaunched } from './roster';
import type { Fetch } from './service-token';
import type { GradeStatus } from './storage';

export interface GradeLine {
	studentId: number;
	name: string;
	status: GradeStatus;
	/** the score last queued */
	score: number;
	max: number;
	/** what the platform last received, and when */
	sentScore: number | null;
	sentAt: number | null;
	nextTryAt: number;
	lastError: string | null;
}

export interface Unlaunched {
	userId: string;
	name: string;
	/** the institution's student number, when the platform shares it */
	number: string;
}

export interface LtiGradebook {
	platform: string;
	grades: GradeLine[];
	counts: Record<GradeStatus, number>;
	roster: { ok: true; notLaunched: Unlaunched[] } | { ok: false; reason: string };
}

/** Undefined when the assignment is not bound to a platform. */
export async function ltiGradebook(db: Storage, assignment: Assignment, fetchImpl: Fetch = fetch, now = Date.now()): Promise<LtiGradebook | undefined> {
	const binding = await db.lti.bindingOf(assignment.id);
	if (!binding) return undefined;
	const [platform, queued, students, subjects, roster] = await Promise.all([
		db.lti.platformById(binding.platformId),
		db.lti.gradesOf(assignment.id),
		db.studentsOf(assignment.id),
		db.lti.subjectsOf(assignment.id),
		courseLearners(db, assignment.id, fetchImpl, now)
	]);
	const names = new Map(students.map((s) => [s.id, s.name]));
	const grades = queued
		.map(
			(g): GradeLine => ({
				studentId: g.studentId,
				name: names.get(g.studentId) ?? '',
				status: g.status,
				score: g.scoreGiven,
				max: g.scoreMaximum,
				sentScore: g.sentScore,
				sentAt: g.sentAt,
				nextTryAt: g.nextTryAt,
				lastError: g.lastError
			})
		)
		.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	const counts: Record<GradeStatus, number> = { sent: 0, waiting: 0, failed: 0 };
	for (const g of grades) counts[g.status]++;
	return {
		platform: platform?.name ?? binding.contextTitle,
		grades,
		counts,
		roster: roster.ok
			? { ok: true, notLaunched: notLaunched(roster.learners, subjects).map((l) => ({ userId: l.userId, name: l.name ?? l.email ?? l.userId, number: l.sourcedId ?? '' })) }
			: { ok: false, reason: roster.reason }
	};
}
