import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ExportMenu from '../../../src/lib/components/replay/ExportMenu.svelte';
import { run } from '../../../src/lib/engine';
import { PROFILES } from '../../../src/lib/profiles';
import { DESIGN_EXAMPLE } from '../../helpers';

describe('ExportMenu', () => {
	const trace = run(DESIGN_EXAMPLE);

	it.each([
		['fr', 'Tableur (.xlsx)', 'Exporter la trace'],
		['en', 'Spreadsheet (.xlsx)', 'Export the trace']
	] as const)('renders two plain buttons in %s, in a labelled group with a polite status', (locale, xlsx, group) => {
		const { body } = render(ExportMenu, { props: { trace, title: 'Backprop, one step', locale, writing: PROFILES.neutral } });
		const buttons = [...body.matchAll(/<button type="button"[^>]*>([\s\S]*?)<\/button>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
		expect(buttons).toEqual([xlsx, 'JSON']);
		expect(body).toContain(`role="group" aria-label="${group}"`);
		expect(body).toContain('role="status"');
		expect(body).not.toContain('disabled');
	});
});
