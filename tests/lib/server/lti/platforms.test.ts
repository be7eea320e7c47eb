import { describe, expect, it } from 'vitest';
import { checkPlatform, type PlatformForm } from '../../../../src/lib/server/lti/platforms';

/** Moodle 4's "Tool configuration details", as an administrator copies them. */
const moodle: PlatformForm = {
	name: 'Moodle de l’université',
	issuer: 'https://moodle.univ.fr',
	clientId: 'kR2xPq7Yz1AbCdE',
	deploymentIds: '3',
	authUrl: 'https://moodle.univ.fr/mod/lti/auth.php',
	jwksUrl: 'https://moodle.univ.fr/mod/lti/certs.php',
	tokenUrl: 'https://moodle.univ.fr/mod/lti/token.php'
};

describe('checkPlatform', () => {
	it('takes Moodle’s values, trimmed, with one deployment', () => {
		expect(checkPlatform({ ...moodle, name: '  Moodle  ', clientId: ' kR2xPq7Yz1AbCdE\n' })).toEqual({
			ok: true,
			platform: { ...moodle, name: 'Moodle', deploymentIds: ['3'] }
		});
	});

	it.each([
		['a comma list', '1, 2,3', ['1', '2', '3']],
		['lines, with Windows line breaks and blank lines', '1\r\n\r\n2\n', ['1', '2']],
		['a list whose items hold commas', ['1,2', '3'], ['1', '2', '3']],
		['the same id twice', '7, 7', ['7']]
	])('splits deployment ids given as %s', (_, deploymentIds, expected) => {
		const checked = checkPlatform({ ...moodle, deploymentIds });
		expect(checked.ok && checked.platform.deploymentIds).toEqual(expected);
	});

	it.each([
		['http on 127.0.0.1', 'http://127.0.0.1:8123/platform'],
		['http on localhost', 'http://localhost:8080'],
		['http on [::1]', 'http://[::1]:9000/'],
		['https with a port and a path', 'https://lms.example.org:8443/moodle']
	])('accepts an issuer with %s', (_, issuer) => {
		expect(checkPlatform({ ...moodle, issuer }).ok).toBe(true);
	});

	it.each<[string, PlatformForm, string, string, string]>([
		['a missing name', { name: '   ' }, 'name', 'Name: missing.', 'Nom : manquant.'],
		['a long name', { name: 'x'.repeat(101) }, 'name', 'Name: longer than 100 characters.', 'Nom : plus de 100 caractères.'],
		['a name with a control character', { name: 'Moo\u0007dle' }, 'name', 'Name: holds an invisible control character (U+0007); type it again without it.', 'Nom : contient un caractère de contrôle invisible (U+0007) ; retapez-le sans lui.'],
		['an issuer in plain http', { issuer: 'http://moodle.univ.fr' }, 'issuer', "Platform ID (issuer): must start with https:// (plain http only on this machine's own address).", "ID de la plateforme (issuer) : doit commencer par https:// (http seulement sur l'adresse de cette machine)."],
		['an issuer that is no URL', { issuer: 'moodle.univ.fr' }, 'issuer', 'Platform ID (issuer): not a web address (expected https://…).', "ID de la plateforme (issuer) : ce n'est pas une adresse web (attendu : https://…)."],
		['an ftp URL', { authUrl: 'ftp://moodle.univ.fr/auth' }, 'authUrl', 'Authentication request URL: not a web address (expected https://…).', "URL de demande d'authentification : ce n'est pas une adresse web (attendu : https://…)."],
		['a missing keyset URL', { jwksUrl: '' }, 'jwksUrl', 'Public keyset URL: missing.', 'URL du jeu de clés publiques : manquant.'],
		['a token URL in http on another host', { tokenUrl: 'http://10.0.0.1/token.php' }, 'tokenUrl', "Access token URL: must start with https:// (plain http only on this machine's own address).", "URL du jeton d'accès : doit commencer par https:// (http seulement sur l'adresse de cette machine)."],
		['a client id with a space', { clientId: 'kR2x Pq7' }, 'clientId', 'Client ID: holds spaces; copy it again from the platform.', 'ID client : contient des espaces ; recopiez-le depuis la plateforme.'],
		['a long client id', { clientId: 'c'.repeat(256) }, 'clientId', 'Client ID: longer than 255 characters.', 'ID client : plus de 255 caractères.'],
		['no deployment', { deploymentIds: ' , \n' }, 'deploymentIds', 'Deployment ID: missing.', 'ID de déploiement : manquant.'],
		['21 deployments', { deploymentIds: Array.from({ length: 21 }, (_, i) => String(i)) }, 'deploymentIds', 'Deployment ID: more than 20 deployments.', 'ID de déploiement : plus de 20 déploiements.'],
		['a long deployment id', { deploymentIds: `1,${'d'.repeat(256)}` }, 'deploymentIds', `Deployment ID: "${'d'.repeat(20)}…" is longer than 255 characters.`, `ID de déploiement : « ${'d'.repeat(20)}… » dépasse 255 caractères.`]
	])('refuses %s, naming the field in both languages', (_, change, field, en, fr) => {
		expect(checkPlatform({ ...moodle, ...change })).toEqual({ ok: false, problems: [{ field, message: { en, fr } }] });
	});

	it('says every wrong field at once, in the form’s order', () => {
		const checked = checkPlatform({ deploymentIds: [] });
		expect(checked.ok).toBe(false);
		if (!checked.ok) expect(checked.problems.map((p) => p.field)).toEqual(['name', 'issuer', 'clientId', 'deploymentIds', 'authUrl', 'jwksUrl', 'tokenUrl']);
	});
});
