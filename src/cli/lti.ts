/**
 * `stepwise lti …`: the LTI 1.3 platforms and Stepwise's signing key from the command line, on the
 * server's database (DATABASE_URL, else STEPWISE_DB), as `teacher add` reaches it; and the
 * addresses to give a platform, which need no database.
 */
import { configuredLocation, describeLocation } from '../lib/server/db/location';
import { openStorage } from '../lib/server/db/open';
import { rotateKeys } from '../lib/server/lti/keys';
import { checkPlatform } from '../lib/server/lti/platforms';
import { PlatformTaken, type Platform } from '../lib/server/lti/storage';
import { toolEndpoints } from '../lib/server/lti/tool';
import type { Storage } from '../lib/server/storage';
import type { CliOptions } from './args';

async function withStorage(run: (storage: Storage, where: string) => Promise<number>): Promise<number> {
	const location = configuredLocation();
	const storage = await openStorage(location);
	try {
		return await run(storage, describeLocation(location));
	} finally {
		await storage.close();
	}
}

function refuse(message: string): number {
	process.stderr.write(`stepwise: ${message}\n`);
	return 1;
}

function addPlatform(options: CliOptions): Promise<number> {
	const { issuer, clientId, deployments, authUrl, jwksUrl, tokenUrl } = options.platform;
	const checked = checkPlatform({ name: options.name, issuer, clientId, deploymentIds: deployments, authUrl, jwksUrl, tokenUrl });
	if (!checked.ok) return Promise.resolve(refuse(checked.problems.map((p) => p.message[options.lang]).join(' ')));
	return withStorage(async (storage, where) => {
		try {
			const platform = await storage.lti.addPlatform(checked.platform, null, Date.now());
			process.stdout.write(`platform ${platform.id} (${platform.name}) added to ${where}\n`);
			return 0;
		} catch (error) {
			if (error instanceof PlatformTaken) return refuse(`${issuer} with client id ${clientId} is registered already (see lti platform list)`);
			throw error;
		}
	});
}

function platformLines(platform: Platform): string {
	return [
		`${platform.id}  ${platform.name}`,
		`    issuer       ${platform.issuer}`,
		`    client id    ${platform.clientId}`,
		`    deployments  ${platform.deploymentIds.join(', ')}`,
		`    auth url     ${platform.authUrl}`,
		`    jwks url     ${platform.jwksUrl}`,
		`    token url    ${platform.tokenUrl}`
	].join('\n');
}

function listPlatforms(options: CliOptions): Promise<number> {
	return withStorage(async (storage, where) => {
		const platforms = await storage.lti.platforms();
		if (options.json) process.stdout.write(`${JSON.stringify(platforms, null, 2)}\n`);
		else if (platforms.length === 0) process.stdout.write(`no platform registered in ${where}\n`);
		else process.stdout.write(`${platforms.map(platformLines).join('\n')}\n`);
		return 0;
	});
}

function removePlatform(options: CliOptions): Promise<number> {
	const id = options.platformId ?? 0;
	return withStorage(async (storage, where) => {
		const platform = await storage.lti.platformById(id);
		if (!platform || !(await storage.lti.removePlatform(id))) return refuse(`no platform ${id} in ${where} (see lti platform list)`);
		process.stdout.write(`platform ${id} (${platform.name}) removed from ${where}\n`);
		return 0;
	});
}

function rotate(): Promise<number> {
	return withStorage(async (storage) => {
		const kid = await rotateKeys(storage.lti);
		process.stdout.write(`new signing key ${kid}; the previous one stays in the JWKS for a day\n`);
		return 0;
	});
}

function toolUrls(options: CliOptions): number {
	let origin: string;
	try {
		const url = new URL(options.origin ?? '');
		if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(url.protocol);
		origin = url.origin;
	} catch {
		return refuse(`--origin: "${options.origin}" is not a web address such as https://stepwise.univ.fr`);
	}
	const tool = toolEndpoints(origin);
	const lines = [
		['Tool URL', tool.launchUrl],
		['Initiate login URL', tool.loginUrl],
		['Redirection URI(s)', tool.launchUrl],
		['Public keyset URL', tool.jwksUrl],
		['Content Selection URL', tool.deepLinkingUrl],
		['Dynamic registration URL', tool.registrationUrl]
	];
	if (options.json) process.stdout.write(`${JSON.stringify(tool, null, 2)}\n`);
	else process.stdout.write(`${lines.map(([label, value]) => `${label.padEnd(26)}${value}`).join('\n')}\n`);
	return 0;
}

export async function ltiCommand(options: CliOptions): Promise<number> {
	switch (options.ltiCommand) {
		case 'platform-add':
			return addPlatform(options);
		case 'platform-list':
			return listPlatforms(options);
		case 'platform-remove':
			return removePlatform(options);
		case 'keys-rotate':
			return rotate();
		case 'tool-urls':
			return toolUrls(options);
	}
}
