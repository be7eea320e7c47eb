/**
 * Deep Linking 2.0's answer: the activity the teacher chose, as a signed message the teacher's
 * browser posts back to the platform, which creates the activity and its grade column from it.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Assignment } from '../storage';
import { CLAIM, LTI_VERSION } from './claims';
import { ASSIGNMENT_PARAMETER } from './enter';
import { ALGORITHM, signingKey } from './keys';
import type { DeepLinkRequest, LtiStorage, Platform } from './storage';
import { toolEndpoints } from './tool';

const RESPONSE_MINUTES = 5;

/** An activity of one assignment, with a grade column of its maximum and its dates. */
export function contentItem(assignment: Assignment, scoreMaximum: number, origin: string): Record<string, unknown> {
	const dates = { startDateTime: new Date(assignment.opensAt).toISOString(), endDateTime: new Date(assignment.closesAt).toISOString() };
	return {
		type: 'ltiResourceLink',
		title: assignment.title,
		url: toolEndpoints(origin).launchUrl,
		custom: { [ASSIGNMENT_PARAMETER]: String(assignment.id) },
		lineItem: { scoreMaximum, label: assignment.title, resourceId: String(assignment.id), tag: 'stepwise' },
		available: dates,
		submission: dates
	};
}

/** The signed LtiDeepLinkingResponse for this request. */
export async function deepLinkingResponse(lti: LtiStorage, request: DeepLinkRequest, platform: Platform, items: Record<string, unknown>[], now: number): Promise<string> {
	const key = await signingKey(lti, now);
	const claims: Record<string, unknown> = {
		nonce: randomUUID(),
		[CLAIM.messageType]: 'LtiDeepLinkingResponse',
		[CLAIM.version]: LTI_VERSION,
		[CLAIM.deploymentId]: request.deploymentId,
		[CLAIM.contentItems]: items
	};
	if (request.data !== null) claims[CLAIM.deepLinkingData] = request.data;
	const issuedAt = Math.floor(now / 1000);
	return new SignJWT(claims)
		.setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
		.setIssuer(platform.clientId)
		.setAudience(platform.issuer)
		.setIssuedAt(issuedAt)
		.setExpirationTime(issuedAt + RESPONSE_MINUTES * 60)
		.sign(key.privateKey);
}
