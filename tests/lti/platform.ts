// A fake LMS (a tiny Moodle) that runs inside the vitest process, so that tests drive the LTI 1.3
// tool through real HTTP: third-party login initiation, OIDC id_token by form_post, Deep Linking 2.0,
// AGS 2.0 (line items, scores, results) and NRPS 2.0, with an OAuth2 client-credentials token
// endpoint that checks the tool's private_key_jwt. Every signature and verification goes through jose.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	createRemoteJWKSet,
	exportJWK,
	generateKeyPair,
	jwtVerify,
	SignJWT,
	UnsecuredJWT,
	type CryptoKey,
	type JWK,
	type JWTPayload
} from 'jose';
import { autoPostPage, deepLinkResultPage } from './platform-html';

export const ROLE = {
	instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
	learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'
};

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
	toolPlatform: 'https://purl.imsglobal.org/spec/lti/claim/tool_platform',
	launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
	ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
	nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
	deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
	contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
	dlData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
	dlMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
	dlErrorMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/errormsg'
} as const;

export const SCOPE = {
	lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
	lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
	resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
	score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
	nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'
} as const;

export const MEDIA = {
	lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
	lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
	score: 'application/vnd.ims.lis.v1.score+json',
	resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
	membershipContainer: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json'
} as const;

const CONTEXT_TYPE_COURSE = 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering';
const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'];
const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'];
const ID_TOKEN_LIFETIME_S = 5 * 60;
const ACCESS_TOKEN_LIFETIME_S = 3600;

export interface TestUser {
	sub: string;
	name: string;
	givenName?: string;
	familyName?: string;
	email?: string;
	roles: string[];
	personSourcedId?: string;
}

export interface TestContext {
	id: string;
	title: string;
	label?: string;
}

export interface PlatformOptions {
	/** the tool's origin, e.g. http://127.0.0.1:4123 */
	toolUrl: string;
	clientId?: string;
	deploymentId?: string;
	context?: TestContext;
}

export interface TestLaunch {
	user: TestUser;
	messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
	/** a link made by deep linking (its custom params and line item come with it), or any other id */
	resourceLinkId?: string;
	/** merged over the link's own custom params */
	custom?: Record<string, string>;
	context?: TestContext;
}

export interface TestLink {
	id: string;
	title: string;
	/** the content item's url, when the tool gave one (recorded only: launches target `${toolUrl}/lti/launch`) */
	url?: string;
	custom: Record<string, string>;
	lineItemId?: string;
	contextId: string;
}

export interface TestLineItem {
	/** its full URL */
	id: string;
	scoreMaximum: number;
	label: string;
	resourceId?: string;
	tag?: string;
	resourceLinkId?: string;
	contextId: string;
	startDateTime?: string;
	endDateTime?: string;
}

export interface ScoreBody {
	userId: string;
	scoreGiven: number;
	scoreMaximum: number;
	activityProgress: string;
	gradingProgress: string;
	timestamp: string;
	comment?: string;
	[key: string]: unknown;
}

export interface ReceivedScore {
	lineItemId: string;
	body: ScoreBody;
	receivedAt: Date;
}

export interface TokenRequest {
	receivedAt: Date;
	/** the scope asked for, space-separated */
	scope: string;
	/** the scope granted; absent when refused */
	granted?: string;
	/** why it was refused */
	error?: string;
}

export interface SignHow {
	key?: 'platform' | 'stranger';
	alg?: 'RS256' | 'none';
	kid?: string;
}

export interface TestPlatform {
	/** its origin; also its issuer */
	url: string;
	issuer: string;
	clientId: string;
	deploymentId: string;
	authUrl: string;
	jwksUrl: string;
	tokenUrl: string;
	/** the default course */
	context: TestContext;
	/** a platform page that, opened in a browser, auto-posts the login initiation to `${toolUrl}/lti/login` */
	launchUrl(launch: TestLaunch): string;
	/** the same login initiation as form fields, for tests that POST it with fetch */
	loginForm(launch: TestLaunch): Record<string, string>;
	links: TestLink[];
	lineItems: TestLineItem[];
	scores: ReceivedScore[];
	latestScore(lineItemId: string, userId: string): ReceivedScore | undefined;
	deepLinkResponses: Record<string, unknown>[];
	tokenRequests: TokenRequest[];
	/** the course roster served by NRPS (tests push users) */
	members: TestUser[];
	/** while down, the token, line item, score, result and membership endpoints answer 503 */
	setDown(down: boolean): void;
	/** forgets every access token issued so far: the tool's next service call gets 401 and must ask again */
	revokeTokens(): void;
	idTokenClaims(launch: TestLaunch, nonce: string): Record<string, unknown>;
	signIdToken(claims: Record<string, unknown>, how?: SignHow): Promise<string>;
	stop(): Promise<void>;
}

/** An answer that ends the request: thrown from a handler so that validation reads top to bottom. */
class Refusal extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly oauthError?: string
	) {
		super(message);
	}
}

interface IssuedLaunch {
	launch: TestLaunch;
	loginHint: string;
}

interface IssuedToken {
	scopes: Set<string>;
	expiresAt: number;
}

interface Body {
	form: URLSearchParams;
	json: unknown;
}

const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Body> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > MAX_BODY_BYTES) throw new Refusal(413, 'request body too large');
		chunks.push(buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	const type = mediaType(req.headers['content-type']);
	if (type === 'application/x-www-form-urlencoded') return { form: new URLSearchParams(text), json: undefined };
	if (type.endsWith('json') && text !== '') {
		try {
			return { form: new URLSearchParams(), json: JSON.parse(text) as unknown };
		} catch {
			throw new Refusal(400, 'body is not valid JSON');
		}
	}
	return { form: new URLSearchParams(), json: undefined };
}

function mediaType(header: string | undefined): string {
	return (header ?? '').split(';')[0].trim().toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function token(): string {
	return randomBytes(18).toString('base64url');
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
	res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, type = 'application/json', headers: Record<string, string> = {}): void {
	send(res, status, type, JSON.stringify(value), headers);
}

export async function startPlatform(options: PlatformOptions): Promise<TestPlatform> {
	const toolUrl = options.toolUrl.replace(/\/+$/, '');
	const clientId = options.clientId ?? 'stepwise-test-client';
	const deploymentId = options.deploymentId ?? 'deployment-1';
	const defaultContext: TestContext = options.context ?? { id: 'course-1', title: 'Introduction to deep learning', label: 'DL101' };
	const redirectUri = `${toolUrl}/lti/launch`;

	// Key pairs made per platform: the platform's own (in its JWKS) and a stranger's (never published),
	// to forge id_tokens signed by a key the tool cannot find.
	const platformKid = `platform-${token().slice(0, 8)}`;
	const platformKeys = await generateKeyPair('RS256', { extractable: true });
	const strangerKeys = await generateKeyPair('RS256');
	const publicJwk: JWK = { ...(await exportJWK(platformKeys.publicKey)), kid: platformKid, alg: 'RS256', use: 'sig' };

	// cooldownDuration 0: a tool that rotates its key is re-fetched at once on the new kid, as tests expect
	const toolJwks = createRemoteJWKSet(new URL(`${toolUrl}/lti/jwks`), { cooldownDuration: 0, cacheMaxAge: 60_000 });

	const issuedLaunches = new Map<string, IssuedLaunch>(); // by lti_message_hint
	const issuedDlData = new Map<string, string>(); // deep-linking data -> context id
	const issuedTokens = new Map<string, IssuedToken>();
	const seenJti = new Set<string>();
	const contexts = new Map<string, TestContext>([[defaultContext.id, defaultContext]]);
	const contextUsers = new Map<string, Set<string>>(); // users launched in a context, who may be graded
	let down = false;
	let linkCount = 0;
	let lineItemCount = 0;

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (error instanceof Refusal) {
				if (error.oauthError) sendJson(res, error.status, { error: error.oauthError, error_description: error.message });
				else send(res, error.status, 'text/plain; charset=utf-8', `${error.message}\n`, error.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
			} else {
				send(res, 500, 'text/plain; charset=utf-8', `platform error: ${error instanceof Error ? error.message : String(error)}\n`);
			}
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const authUrl = `${url}/auth`;
	const jwksUrl = `${url}/jwks`;
	const tokenUrl = `${url}/token`;
	const deepLinkReturnUrl = `${url}/deep-link/return`;

	const links: TestLink[] = [];
	const lineItems: TestLineItem[] = [];
	const scores: ReceivedScore[] = [];
	const deepLinkResponses: Record<string, unknown>[] = [];
	const tokenRequests: TokenRequest[] = [];
	const members: TestUser[] = [];

	const lineItemsUrl = (contextId: string) => `${url}/contexts/${encodeURIComponent(contextId)}/lineitems`;
	const membershipsUrl = (contextId: string) => `${url}/contexts/${encodeURIComponent(contextId)}/memberships`;

	function issueLaunch(launch: TestLaunch): Record<string, string> {
		const context = launch.context ?? defaultContext;
		contexts.set(context.id, context);
		let users = contextUsers.get(context.id);
		if (!users) contextUsers.set(context.id, (users = new Set()));
		users.add(launch.user.sub);
		const messageHint = token();
		const issued: IssuedLaunch = { launch, loginHint: launch.user.sub };
		issuedLaunches.set(messageHint, issued);
		return loginFieldsOf(messageHint, issued);
	}

	function idTokenClaims(launch: TestLaunch, nonce: string): Record<string, unknown> {
		const context = launch.context ?? defaultContext;
		const { user } = launch;
		const messageType = launch.messageType ?? 'LtiResourceLinkRequest';
		const now = Math.floor(Date.now() / 1000);
		const link = launch.resourceLinkId ? links.find((l) => l.id === launch.resourceLinkId) : undefined;
		const custom = { ...(link?.custom ?? {}), ...(launch.custom ?? {}) };
		const claims: Record<string, unknown> = {
			iss: url,
			aud: clientId,
			azp: clientId,
			sub: user.sub,
			iat: now,
			exp: now + ID_TOKEN_LIFETIME_S,
			nonce,
			name: user.name,
			[CLAIM.messageType]: messageType,
			[CLAIM.version]: '1.3.0',
			[CLAIM.deploymentId]: deploymentId,
			[CLAIM.targetLinkUri]: redirectUri,
			[CLAIM.roles]: [...user.roles],
			[CLAIM.context]: {
				id: context.id,
				label: context.label ?? context.id,
				title: context.title,
				type: [CONTEXT_TYPE_COURSE]
			},
			[CLAIM.toolPlatform]: { guid: `${url}/platform`, name: 'Stepwise test platform', product_family_code: 'stepwise-test-lms', version: '1.0' },
			[CLAIM.launchPresentation]: { document_target: 'window', locale: 'en' },
			[CLAIM.ags]: {
				scope: [SCOPE.lineItem, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score],
				lineitems: lineItemsUrl(context.id),
				...(link?.lineItemId ? { lineitem: link.lineItemId } : {})
			},
			[CLAIM.nrps]: { context_memberships_url: membershipsUrl(context.id), service_versions: ['2.0'] }
		};
		if (user.givenName !== undefined) claims.given_name = user.givenName;
		if (user.familyName !== undefined) claims.family_name = user.familyName;
		if (user.email !== undefined) claims.email = user.email;
		if (user.personSourcedId !== undefined) claims[CLAIM.lis] = { person_sourcedid: user.personSourcedId };
		if (Object.keys(custom).length > 0) claims[CLAIM.custom] = custom;
		if (messageType === 'LtiResourceLinkRequest') {
			const id = launch.resourceLinkId ?? `${context.id}-link-default`;
			claims[CLAIM.resourceLink] = { id, title: link?.title ?? 'Stepwise activity' };
		} else {
			// opaque to the tool; the response must echo it, and it tells the platform which course
			const data = `dl-${token()}`;
			issuedDlData.set(data, context.id);
			claims[CLAIM.deepLinkingSettings] = {
				deep_link_return_url: deepLinkReturnUrl,
				accept_types: ['ltiResourceLink'],
				accept_presentation_document_targets: ['iframe', 'window'],
				accept_multiple: true,
				auto_create: true,
				data
			};
		}
		return claims;
	}

	async function signIdToken(claims: Record<string, unknown>, how: SignHow = {}): Promise<string> {
		if (how.alg === 'none') return new UnsecuredJWT(claims as JWTPayload).encode();
		const stranger = how.key === 'stranger';
		const key: CryptoKey = stranger ? strangerKeys.privateKey : platformKeys.privateKey;
		const kid = how.kid ?? (stranger ? 'stranger-key' : platformKid);
		return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
	}

	// --- OIDC authorisation endpoint -------------------------------------------------------------

	async function authorize(params: URLSearchParams, res: ServerResponse): Promise<void> {
		const need = (name: string, expected?: string): string => {
			const value = params.get(name);
			if (!value) throw new Refusal(400, `${name} is missing`);
			if (expected !== undefined && value !== expected) throw new Refusal(400, `${name} must be ${expected}, not ${value}`);
			return value;
		};
		const scopes = need('scope').split(' ');
		if (!scopes.includes('openid')) throw new Refusal(400, 'scope must be openid');
		need('response_type', 'id_token');
		need('response_mode', 'form_post');
		need('prompt', 'none');
		need('client_id', clientId);
		need('redirect_uri', redirectUri);
		const loginHint = need('login_hint');
		const issued = issuedLaunches.get(need('lti_message_hint'));
		if (!issued) throw new Refusal(400, 'lti_message_hint matches no launch of this platform');
		if (issued.loginHint !== loginHint) throw new Refusal(400, 'login_hint does not match the launch');
		const nonce = need('nonce');
		const state = need('state');
		const idToken = await signIdToken(idTokenClaims(issued.launch, nonce));
		send(res, 200, 'text/html; charset=utf-8', autoPostPage('Opening Stepwise', redirectUri, { id_token: idToken, state }));
	}

	// --- OAuth2 client credentials (LTI Advantage security framework) -----------------------------

	async function issueToken(body: Body, res: ServerResponse): Promise<void> {
		const request: TokenRequest = { receivedAt: new Date(), scope: body.form.get('scope') ?? '' };
		tokenRequests.push(request);
		try {
			if (body.form.get('grant_type') !== 'client_credentials')
				throw new Refusal(400, 'grant_type must be client_credentials', 'unsupported_grant_type');
			if (body.form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
				throw new Refusal(400, 'client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer', 'invalid_request');
			const assertion = body.form.get('client_assertion');
			if (!assertion) throw new Refusal(400, 'client_assertion is missing', 'invalid_request');
			let payload: JWTPayload;
			try {
				({ payload } = await jwtVerify(assertion, toolJwks, {
					issuer: clientId,
					subject: clientId,
					audience: tokenUrl,
					requiredClaims: ['exp', 'iat', 'jti'],
					algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256']
				}));
			} catch (error) {
				throw new Refusal(401, `client_assertion refused: ${error instanceof Error ? error.message : String(error)}`, 'invalid_client');
			}
			const jti = String(payload.jti);
			if (seenJti.has(jti)) throw new Refusal(400, 'client_assertion jti already used', 'invalid_grant');
			seenJti.add(jti);
			const known = new Set<string>(Object.values(SCOPE));
			const granted = request.scope.split(' ').filter((s) => known.has(s));
			if (granted.length === 0) throw new Refusal(400, 'no known scope asked for', 'invalid_scope');
			const accessToken = token();
			issuedTokens.set(accessToken, { scopes: new Set(granted), expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_S * 1000 });
			request.granted = granted.join(' ');
			sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_S, scope: request.granted });
		} catch (error) {
			request.error = error instanceof Error ? error.message : String(error);
			throw error;
		}
	}

	/** 401 without a live token this platform issued; 403 with one that lacks every scope accepted here */
	function requireScope(req: IncomingMessage, accepted: string[]): void {
		const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
		const issued = match ? issuedTokens.get(match[1]) : undefined;
		if (!issued || issued.expiresAt < Date.now()) throw new Refusal(401, 'a valid Bearer access token is required');
		if (!accepted.some((s) => issued.scopes.has(s))) throw new Refusal(403, `the access token lacks the scope ${accepted.join(' or ')}`);
	}

	// --- Deep Linking 2.0 response --------------------------------------------------------------

	async function deepLinkReturn(body: Body, res: ServerResponse): Promise<void> {
		const jwt = body.form.get('JWT');
		if (!jwt) throw new Refusal(400, 'the JWT form field is missing');
		let payload: JWTPayload;
		try {
			({ payload } = await jwtVerify(jwt, toolJwks, { issuer: clientId, audience: url, requiredClaims: ['exp', 'iat'] }));
		} catch (error) {
			throw new Refusal(400, `deep-linking response refused: ${error instanceof Error ? error.message : String(error)}`);
		}
		if (typeof payload.nonce !== 'string' || payload.nonce === '') throw new Refusal(400, 'nonce is missing');
		if (payload[CLAIM.messageType] !== 'LtiDeepLinkingResponse') throw new Refusal(400, 'message_type must be LtiDeepLinkingResponse');
		if (payload[CLAIM.version] !== '1.3.0') throw new Refusal(400, 'version must be 1.3.0');
		if (payload[CLAIM.deploymentId] !== deploymentId) throw new Refusal(400, `deployment_id must be ${deploymentId}`);
		const data = payload[CLAIM.dlData];
		const contextId = typeof data === 'string' ? issuedDlData.get(data) : undefined;
		if (contextId === undefined) throw new Refusal(400, 'data does not echo the deep-linking request');
		const rawItems = payload[CLAIM.contentItems] ?? [];
		if (!Array.isArray(rawItems)) throw new Refusal(400, 'content_items must be an array');

		// validate every item before creating any: a bad response adds nothing to the course
		const planned = rawItems.map((item: unknown, index): Omit<TestLink, 'id' | 'lineItemId'> & { lineItem?: Omit<TestLineItem, 'id' | 'contextId'> } => {
			if (!isRecord(item)) throw new Refusal(400, `content item ${index} is not an object`);
			if (item.type !== 'ltiResourceLink') throw new Refusal(400, `content item ${index} has type ${String(item.type)}, not offered`);
			const title = typeof item.title === 'string' && item.title !== '' ? item.title : 'Untitled activity';
			const custom: Record<string, string> = {};
			if (item.custom !== undefined) {
				if (!isRecord(item.custom)) throw new Refusal(400, `content item ${index}: custom must be an object`);
				for (const [k, v] of Object.entries(item.custom)) {
					if (typeof v !== 'string') throw new Refusal(400, `content item ${index}: custom ${k} must be a string`);
					custom[k] = v;
				}
			}
			let lineItem: Omit<TestLineItem, 'id' | 'contextId'> | undefined;
			if (item.lineItem !== undefined) {
				const li = item.lineItem;
				if (!isRecord(li)) throw new Refusal(400, `content item ${index}: lineItem must be an object`);
				if (typeof li.scoreMaximum !== 'number' || !(li.scoreMaximum > 0))
					throw new Refusal(400, `content item ${index}: lineItem.scoreMaximum must be a number above 0`);
				lineItem = {
					scoreMaximum: li.scoreMaximum,
					label: typeof li.label === 'string' && li.label !== '' ? li.label : title,
					...(typeof li.resourceId === 'string' ? { resourceId: li.resourceId } : {}),
					...(typeof li.tag === 'string' ? { tag: li.tag } : {})
				};
			}
			return { title, custom, contextId, ...(typeof item.url === 'string' ? { url: item.url } : {}), ...(lineItem ? { lineItem } : {}) };
		});

		deepLinkResponses.push({ ...payload });
		for (const { lineItem, ...fields } of planned) {
			const link: TestLink = { id: `link-${++linkCount}`, ...fields };
			if (lineItem) link.lineItemId = createLineItem(contextId, { ...lineItem, resourceLinkId: link.id }).id;
			links.push(link);
		}
		const message = [payload[CLAIM.dlMsg], payload[CLAIM.dlErrorMsg]].filter((m): m is string => typeof m === 'string').join(' ');
		send(res, 200, 'text/html; charset=utf-8', deepLinkResultPage(planned.map((p) => p.title), message || undefined));
	}

	// --- Assignment and Grade Services 2.0 ------------------------------------------------------

	function createLineItem(contextId: string, fields: Omit<TestLineItem, 'id' | 'contextId'>): TestLineItem {
		const item: TestLineItem = { id: `${lineItemsUrl(contextId)}/${++lineItemCount}`, contextId, ...fields };
		lineItems.push(item);
		return item;
	}

	function lineItemJson(item: TestLineItem): Record<string, unknown> {
		const { contextId: _contextId, ...json } = item;
		return json;
	}

	function parseLineItemBody(json: unknown, contextId: string): Omit<TestLineItem, 'id' | 'contextId'> {
		if (!isRecord(json)) throw new Refusal(400, 'the line item must be a JSON object');
		if (typeof json.scoreMaximum !== 'number' || !(json.scoreMaximum > 0)) throw new Refusal(400, 'scoreMaximum must be a number above 0');
		if (typeof json.label !== 'string' || json.label === '') throw new Refusal(400, 'label is required');
		const item: Omit<TestLineItem, 'id' | 'contextId'> = { scoreMaximum: json.scoreMaximum, label: json.label };
		for (const key of ['resourceId', 'tag', 'resourceLinkId', 'startDateTime', 'endDateTime'] as const) {
			const value = json[key];
			if (value === undefined) continue;
			if (typeof value !== 'string') throw new Refusal(400, `${key} must be a string`);
			item[key] = value;
		}
		if (item.resourceLinkId !== undefined && !links.some((l) => l.id === item.resourceLinkId && l.contextId === contextId))
			throw new Refusal(400, 'resourceLinkId is not a link of this context');
		return item;
	}

	function receiveScore(item: TestLineItem, req: IncomingMessage, body: Body, res: ServerResponse): void {
		if (mediaType(req.headers['content-type']) !== MEDIA.score) throw new Refusal(415, `content-type must be ${MEDIA.score}`);
		const json = body.json;
		if (!isRecord(json)) throw new Refusal(400, 'the score must be a JSON object');
		if (typeof json.userId !== 'string' || json.userId === '') throw new Refusal(400, 'userId is required');
		if (typeof json.scoreGiven !== 'number' || !(json.scoreGiven >= 0)) throw new Refusal(400, 'scoreGiven must be a number, 0 or more');
		if (typeof json.scoreMaximum !== 'number' || !(json.scoreMaximum > 0)) throw new Refusal(400, 'scoreMaximum must be a number above 0');
		if (typeof json.activityProgress !== 'string' || !ACTIVITY_PROGRESS.includes(json.activityProgress))
			throw new Refusal(400, `activityProgress must be one of ${ACTIVITY_PROGRESS.join(', ')}`);
		if (typeof json.gradingProgress !== 'string' || !GRADING_PROGRESS.includes(json.gradingProgress))
			throw new Refusal(400, `gradingProgress must be one of ${GRADING_PROGRESS.join(', ')}`);
		if (typeof json.timestamp !== 'string' || Number.isNaN(Date.parse(json.timestamp)))
			throw new Refusal(400, 'timestamp must be an ISO 8601 date-time');
		if (json.comment !== undefined && typeof json.comment !== 'string') throw new Refusal(400, 'comment must be a string');
		const known = contextUsers.get(item.contextId)?.has(json.userId) || members.some((m) => m.sub === json.userId);
		if (!known) throw new Refusal(400, `userId ${json.userId} is not a member of this context`);
		const previous = latestScore(item.id, json.userId);
		// AGS: the platform must not update a result when the score on record is later than this one
		if (previous && Date.parse(previous.body.timestamp) > Date.parse(json.timestamp))
			throw new Refusal(409, 'a score with a later timestamp was already received for this user and line item');
		scores.push({ lineItemId: item.id, body: json as ScoreBody, receivedAt: new Date() });
		res.writeHead(204, { 'cache-control': 'no-store' });
		res.end();
	}

	function latestScore(lineItemId: string, userId: string): ReceivedScore | undefined {
		return scores.findLast((s) => s.lineItemId === lineItemId && s.body.userId === userId);
	}

	function results(item: TestLineItem, query: URLSearchParams): Record<string, unknown>[] {
		const userIds = [...new Set(scores.filter((s) => s.lineItemId === item.id).map((s) => s.body.userId))];
		const wanted = query.get('user_id');
		return userIds
			.filter((u) => wanted === null || u === wanted)
			.map((userId) => {
				const score = latestScore(item.id, userId) as ReceivedScore;
				return {
					id: `${item.id}/results/${encodeURIComponent(userId)}`,
					scoreOf: item.id,
					userId,
					resultScore: score.body.scoreGiven,
					resultMaximum: score.body.scoreMaximum,
					...(score.body.comment !== undefined ? { comment: score.body.comment } : {})
				};
			});
	}

	// --- Names and Role Provisioning Services 2.0 -----------------------------------------------

	function memberships(contextId: string, query: URLSearchParams, res: ServerResponse): void {
		const context = contexts.get(contextId);
		if (!context) throw new Refusal(404, 'no such context');
		const limit = Math.max(1, Number.parseInt(query.get('limit') ?? '100', 10) || 100);
		const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '0', 10) || 0);
		const role = query.get('role');
		const roster = members.filter((m) => role === null || m.roles.includes(role) || m.roles.some((r) => r.endsWith(`#${role}`)));
		const page = roster.slice(offset, offset + limit).map((m) => ({
			status: 'Active',
			user_id: m.sub,
			roles: [...m.roles],
			name: m.name,
			...(m.givenName !== undefined ? { given_name: m.givenName } : {}),
			...(m.familyName !== undefined ? { family_name: m.familyName } : {}),
			...(m.email !== undefined ? { email: m.email } : {}),
			...(m.personSourcedId !== undefined ? { lis_person_sourcedid: m.personSourcedId } : {})
		}));
		const headers: Record<string, string> = {};
		if (offset + limit < roster.length) {
			const next = new URL(membershipsUrl(contextId));
			for (const [k, v] of query) if (k !== 'offset') next.searchParams.set(k, v);
			next.searchParams.set('limit', String(limit));
			next.searchParams.set('offset', String(offset + limit));
			headers.link = `<${next.href}>; rel="next"`;
		}
		sendJson(
			res,
			200,
			{
				id: `${membershipsUrl(contextId)}${query.toString() !== '' ? `?${query.toString()}` : ''}`,
				context: { id: context.id, label: context.label ?? context.id, title: context.title },
				members: page
			},
			MEDIA.membershipContainer,
			headers
		);
	}

	// --- routing ---------------------------------------------------------------------------------

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const requestUrl = new URL(req.url ?? '/', url);
		const path = requestUrl.pathname;
		const method = req.method ?? 'GET';
		const body: Body = method === 'POST' || method === 'PUT' ? await readBody(req) : { form: new URLSearchParams(), json: undefined };

		const launchPage = /^\/launch\/([^/]+)$/.exec(path);
		if (launchPage && method === 'GET') {
			const issued = issuedLaunches.get(decodeURIComponent(launchPage[1]));
			if (!issued) throw new Refusal(404, 'no such launch');
			const fields = loginFieldsOf(decodeURIComponent(launchPage[1]), issued);
			send(res, 200, 'text/html; charset=utf-8', autoPostPage('Launching Stepwise', `${toolUrl}/lti/login`, fields));
			return;
		}
		if (path === '/auth' && (method === 'GET' || method === 'POST')) {
			await authorize(method === 'GET' ? requestUrl.searchParams : body.form, res);
			return;
		}
		if (path === '/jwks' && method === 'GET') {
			sendJson(res, 200, { keys: [publicJwk] }, 'application/json');
			return;
		}
		if (path === '/deep-link/return' && method === 'POST') {
			await deepLinkReturn(body, res);
			return;
		}
		const service = path === '/token' || path.startsWith('/contexts/');
		if (service && down) throw new Refusal(503, 'the platform is down');
		if (path === '/token' && method === 'POST') {
			await issueToken(body, res);
			return;
		}

		const container = /^\/contexts\/([^/]+)\/lineitems$/.exec(path);
		if (container) {
			const contextId = decodeURIComponent(container[1]);
			if (!contexts.has(contextId)) throw new Refusal(404, 'no such context');
			if (method === 'GET') {
				requireScope(req, [SCOPE.lineItem, SCOPE.lineItemReadonly]);
				const q = requestUrl.searchParams;
				const found = lineItems.filter(
					(li) =>
						li.contextId === contextId &&
						(q.get('resource_link_id') === null || li.resourceLinkId === q.get('resource_link_id')) &&
						(q.get('resource_id') === null || li.resourceId === q.get('resource_id')) &&
						(q.get('tag') === null || li.tag === q.get('tag'))
				);
				sendJson(res, 200, found.map(lineItemJson), MEDIA.lineItemContainer);
				return;
			}
			if (method === 'POST') {
				requireScope(req, [SCOPE.lineItem]);
				if (mediaType(req.headers['content-type']) !== MEDIA.lineItem) throw new Refusal(415, `content-type must be ${MEDIA.lineItem}`);
				const item = createLineItem(contextId, parseLineItemBody(body.json, contextId));
				sendJson(res, 201, lineItemJson(item), MEDIA.lineItem);
				return;
			}
		}

		const itemPath = /^\/contexts\/([^/]+)\/lineitems\/([^/]+)(\/scores|\/results)?$/.exec(path);
		if (itemPath) {
			const id = `${url}/contexts/${itemPath[1]}/lineitems/${itemPath[2]}`;
			const index = lineItems.findIndex((li) => li.id === id);
			if (index < 0) throw new Refusal(404, 'no such line item');
			const item = lineItems[index];
			const sub = itemPath[3];
			if (sub === '/scores' && method === 'POST') {
				requireScope(req, [SCOPE.score]);
				receiveScore(item, req, body, res);
				return;
			}
			if (sub === '/results' && method === 'GET') {
				requireScope(req, [SCOPE.resultReadonly]);
				sendJson(res, 200, results(item, requestUrl.searchParams), MEDIA.resultContainer);
				return;
			}
			if (sub === undefined && method === 'GET') {
				requireScope(req, [SCOPE.lineItem, SCOPE.lineItemReadonly]);
				sendJson(res, 200, lineItemJson(item), MEDIA.lineItem);
				return;
			}
			if (sub === undefined && method === 'PUT') {
				requireScope(req, [SCOPE.lineItem]);
				if (mediaType(req.headers['content-type']) !== MEDIA.lineItem) throw new Refusal(415, `content-type must be ${MEDIA.lineItem}`);
				const updated: TestLineItem = { id: item.id, contextId: item.contextId, ...parseLineItemBody(body.json, item.contextId) };
				lineItems[index] = updated;
				sendJson(res, 200, lineItemJson(updated), MEDIA.lineItem);
				return;
			}
			if (sub === undefined && method === 'DELETE') {
				requireScope(req, [SCOPE.lineItem]);
				lineItems.splice(index, 1);
				res.writeHead(204);
				res.end();
				return;
			}
		}

		const membership = /^\/contexts\/([^/]+)\/memberships$/.exec(path);
		if (membership && method === 'GET') {
			requireScope(req, [SCOPE.nrps]);
			const accept = req.headers.accept;
			if (accept && !accept.includes(MEDIA.membershipContainer) && !accept.includes('*/*') && !accept.includes('application/json'))
				throw new Refusal(406, `accept must allow ${MEDIA.membershipContainer}`);
			memberships(decodeURIComponent(membership[1]), requestUrl.searchParams, res);
			return;
		}

		throw new Refusal(404, `no route for ${method} ${path}`);
	}

	function loginFieldsOf(messageHint: string, issued: IssuedLaunch): Record<string, string> {
		return {
			iss: url,
			login_hint: issued.loginHint,
			target_link_uri: redirectUri,
			lti_message_hint: messageHint,
			client_id: clientId,
			lti_deployment_id: deploymentId
		};
	}

	return {
		url,
		issuer: url,
		clientId,
		deploymentId,
		authUrl,
		jwksUrl,
		tokenUrl,
		context: defaultContext,
		launchUrl(launch) {
			return `${url}/launch/${encodeURIComponent(issueLaunch(launch).lti_message_hint)}`;
		},
		loginForm: issueLaunch,
		links,
		lineItems,
		scores,
		latestScore,
		deepLinkResponses,
		tokenRequests,
		members,
		setDown(value) {
			down = value;
		},
		revokeTokens() {
			issuedTokens.clear();
		},
		idTokenClaims,
		signIdToken,
		async stop() {
			await new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				// keep-alive sockets (Chromium, fetch) would hold close() open
				server.closeAllConnections();
			});
		}
	};
}
