import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { controlMessage, readForm } from '../../../src/lib/server/forms';
import { PROJECT_ROOT } from '../../helpers';

const request = (type: string, body: string): Request => new Request('http://127.0.0.1/teacher/login', { method: 'POST', headers: { 'content-type': type }, body });

describe('readForm', () => {
	it.each([
		['a multipart body that never closes its boundary', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nprof@univ.fr\r\n'],
		['a multipart body without its boundary parameter', 'multipart/form-data', 'email=prof@univ.fr'],
		['text/plain garbage', 'text/plain', 'garbage;;=='],
		['JSON', 'application/json', '{"email": "prof@univ.fr"}']
	])('refuses %s with a 400 and a short message', async (_, type, body) => {
		const refused = await readForm(request(type, body)).catch((e: unknown) => e);
		expect(isHttpError(refused) && refused.status).toBe(400);
		expect(isHttpError(refused) && refused.body.reader).toBe('The form could not be read. Reload the page and send it again.');
	});

	it.each([
		['urlencoded', 'application/x-www-form-urlencoded', 'email=prof%40univ.fr'],
		['multipart', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nprof@univ.fr\r\n--xyz--\r\n']
	])('reads a %s form', async (_, type, body) => {
		expect((await readForm(request(type, body))).get('email')).toBe('prof@univ.fr');
	});

	it('is how every form action reads its body', () => {
		const files = readdirSync(join(PROJECT_ROOT, 'src', 'routes'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
		const direct = files.filter((f) => readFileSync(join(PROJECT_ROOT, 'src', 'routes', f), 'utf8').includes('.formData()'));
		expect(direct).toEqual([]);
	});
});

describe('controlMessage', () => {
	it('says which character in both languages', () => {
		expect(controlMessage('U+0000')).toEqual({
			fr: 'Ce texte contient un caractère de contrôle invisible (U+0000) : retapez-le sans ce caractère.',
			en: 'This text holds an invisible control character (U+0000): type it again without it.'
		});
	});
});
