import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, scratch } from './cli';

/** `grade` on answers it cannot read, as the command line printed it before the parser gave codes. */
interface Recorded {
	exercise: string;
	answers: Record<string, string>;
	stdout: { en: string; fr: string };
}
const RECORDED: Recorded[] = JSON.parse(readFileSync(new URL('../fixtures/cli/grade-unreadable-before-codes.json', import.meta.url), 'utf8'));
const { file } = scratch('stepwise-unreadable-');

describe('stepwise grade, on answers it cannot read', () => {
	it.each(RECORDED.flatMap((r) => (['en', 'fr'] as const).map((lang) => [r.exercise, lang, r] as const)))('prints %s in %s as it did, byte for byte', (exercise, lang, recorded) => {
		const answers = file(`${exercise}.json`, JSON.stringify(recorded.answers));
		expect(cli('grade', exercise, '--student', 'alice', '--answers', answers, '--lang', lang).stdout).toBe(recorded.stdout[lang]);
	});
});
