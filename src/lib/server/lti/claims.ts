/** The names LTI 1.3 and its services give their claims, roles, scopes and media types. */

export const LTI_VERSION = '1.3.0';

export const CLAIM = {
	messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
	version: 'https://purl.imsglobal.org/spec/lti/claim/version',
	deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
	targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
	resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
	roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
	context: 'https://purl.imsglobal.org/spec/lti/claim/context',
	custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
	lis: 'https://purl.imsglobal.org/spec/lti/claim/lis',
	ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
	nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
	deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
	contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
	deepLinkingData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
	deepLinkingMessage: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg'
} as const;

export type MessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';

export const SCOPE = {
	lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
	lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
	resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
	score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
	memberships: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'
} as const;

export const MEDIA_TYPE = {
	score: 'application/vnd.ims.lis.v1.score+json',
	lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
	lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
	memberships: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json'
} as const;

/** The roles that make a launch an instructor's: teaching the course, or administering the platform. */
const TEACHING_ROLES = [
	'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
	'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
	'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
	'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
	'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator'
];

/** The course's role of a member, from the roles of a launch or of the roster. */
export function isTeaching(roles: readonly string[]): boolean {
	// roles may also be given in their short form ("Instructor"), which LTI 1.3 deprecates but Moodle's roster still writes
	return roles.some((role) => TEACHING_ROLES.includes(role) || role === 'Instructor' || role === 'Administrator');
}

export function isLearner(roles: readonly string[]): boolean {
	return !isTeaching(roles) && roles.some((role) => role === 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner' || role === 'Learner');
}
