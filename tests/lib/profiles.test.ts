import { describe, expect, it } from 'vitest';
import { renderMarkdownInline } from '../../src/lib/components/markdown';
import { CONVENTIONS, isProfileId, PROFILE_IDS, PROFILES, profileOf } from '../../src/lib/profiles';

describe('course profiles', () => {
	it.each(PROFILE_IDS)('%s is declared under its own id, with a title in both languages', (id) => {
		expect(PROFILES[id].id).toBe(id);
		expect(PROFILES[id].title.fr).not.toBe('');
		expect(PROFILES[id].title.en).not.toBe('');
	});

	it.each(PROFILE_IDS.flatMap((id) => Object.entries(PROFILES[id].reasons).map(([convention, reason]) => [id, convention, reason] as const)))(
		'%s gives its reason for %s in both languages, typeset without error',
		(_, convention, reason) => {
			expect(CONVENTIONS).toContain(convention);
			for (const text of [reason.fr, reason.en]) expect(renderMarkdownInline(text)).not.toContain('katex-error');
		}
	);

	it.each([
		['003', { instances: 'columns', bias: 'column' }, 1],
		['004', { instances: 'rows', bias: 'vector' }, 0],
		['001', { channels: 'last' }, 0]
	] as const)('%s writes tensors as the course does', (id, layout, reluAtZero) => {
		expect(PROFILES[id].layout).toMatchObject(layout);
		expect(PROFILES[id].reluDerivativeAtZero).toBe(reluAtZero);
	});

	it('numbers 004’s input as layer 1, and updates no bias there, as its worked example does', () => {
		expect(PROFILES['004']).toMatchObject({ inputLayer: 1, updateBiases: false, notation: 'paren' });
	});

	it('takes a lesson without a course to the neutral profile, and knows its ids', () => {
		expect(profileOf(undefined).id).toBe('neutral');
		expect(profileOf('002').symbols.bias).toBe('w0');
		expect(isProfileId('003')).toBe(true);
		expect(isProfileId('005')).toBe(false);
	});
});
