import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, PROJECT_ROOT } from './helpers';

/**
 * docs/courses.md is how a teacher finds the lesson and the exercise of a course item: its ids
 * must exist, and its summary must count its own table (the sessions that add lessons update
 * cells; this keeps the counts from going stale).
 */
type Coverage = 'yes' | 'partial' | 'no';
interface Row {
	id: string;
	course: string;
	item: string;
	lesson: Coverage;
	exercise: Coverage;
	lessonCell: string;
	exerciseCell: string;
}

const text = readFileSync(join(PROJECT_ROOT, 'docs/courses.md'), 'utf8');

function coverage(cell: string, where: string): Coverage {
	const mark = /^\*\*(yes|partial|no)\*\*/.exec(cell.trim());
	if (!mark) throw new Error(`${where}: a cell must start with **yes**, **partial** or **no**: ${cell}`);
	return mark[1] as Coverage;
}

const rows: Row[] = text
	.split('\n')
	.filter((line) => /^\| \d{3}-\d{2}/.test(line))
	.map((line) => {
		const cells = line.split(' | ').map((cell) => cell.replace(/^\| |\|$/g, '').trim());
		const id = /^\d{3}-\d{2}/.exec(cells[0])![0];
		return {
			id,
			course: id.slice(0, 3),
			item: cells[2],
			lesson: coverage(cells[3], `${id} lesson`),
			exercise: coverage(cells[4], `${id} exercise`),
			lessonCell: cells[3],
			exerciseCell: cells[4]
		};
	});

const conceptual = (row: Row): boolean => /ᶜ\s*$/.test(row.item);
const outOfScope = (row: Row): boolean => /ᵒ\s*$/.test(row.item);

const ids = (dir: string): Set<string> => new Set(filesUnder(dir).filter((file) => /\.ya?ml$/.test(file)).map((file) => basename(file).replace(/\.ya?ml$/, '')));
const lessonIds = ids('src/lib/lessons/library');
const exerciseIds = ids('exercises');

/** A cell's text outside parentheses, where it names its ids (inside, it explains them). */
function outsideParentheses(cell: string): string {
	let depth = 0;
	return [...cell].filter((char) => (char === '(' ? ++depth : char === ')' ? depth-- : depth) === 0).join('');
}

/** The ids a cell names: the hyphenated word that opens each comma- or semicolon-separated part after the dash. */
function namedIds(cell: string): string[] {
	const afterDash = outsideParentheses(cell).split(' — ').slice(1).join(' — ');
	return afterDash
		.split(/[;,]/)
		.map((part) => /^\s*`?([a-z0-9]+(?:-[a-z0-9]+)+)`?(?=[\s(]|$)/.exec(part)?.[1])
		.filter((id): id is string => id !== undefined);
}

function percent(count: number, total: number): string {
	return `${count} (${Math.round((100 * count) / total)} %)`;
}

function summaryRow(label: string, selected: Row[]): string {
	const n = selected.length;
	const count = (side: 'lesson' | 'exercise', value: Coverage): string => percent(selected.filter((row) => row[side] === value).length, n);
	const both = selected.filter((row) => row.lesson === 'yes' && row.exercise === 'yes').length;
	const neither = selected.filter((row) => row.lesson === 'no' && row.exercise === 'no').length;
	return `| ${label} | ${n} | ${count('lesson', 'yes')} | ${count('lesson', 'partial')} | ${count('lesson', 'no')} | ${count('exercise', 'yes')} | ${count('exercise', 'partial')} | ${count('exercise', 'no')} | ${percent(both, n)} | ${percent(neither, n)} |`;
}

function courseRow(course: string, selected: Row[]): string {
	const tally = (side: 'lesson' | 'exercise'): string => (['yes', 'partial', 'no'] as const).map((value) => selected.filter((row) => row[side] === value).length).join(' / ');
	const neither = selected.filter((row) => row.lesson === 'no' && row.exercise === 'no').length;
	return `| ${course} | ${selected.length} | ${tally('lesson')} | ${tally('exercise')} | ${neither} |`;
}

const computational = rows.filter((row) => !conceptual(row) && !outOfScope(row));

describe('the course table of docs/courses.md', () => {
	it('has one row per item of the five courses, numbered without repeats', () => {
		expect(new Set(rows.map((row) => row.course))).toEqual(new Set(['000', '001', '002', '003', '004']));
		expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
	});

	it.each([
		['lesson', lessonIds],
		['exercise', exerciseIds]
	] as const)('names only %s ids that exist in the library', (side, known) => {
		const unknown = rows.flatMap((row) => namedIds(side === 'lesson' ? row.lessonCell : row.exerciseCell).filter((id) => !known.has(id)).map((id) => `${row.id}: ${id}`));
		expect(unknown).toEqual([]);
	});

	it('gives an id in every cell that says yes', () => {
		const bare = rows.flatMap((row) => [
			...(row.lesson === 'yes' && namedIds(row.lessonCell).length === 0 ? [`${row.id} lesson`] : []),
			...(row.exercise === 'yes' && namedIds(row.exerciseCell).length === 0 ? [`${row.id} exercise`] : [])
		]);
		expect(bare).toEqual([]);
	});

	it('summarises its own rows', () => {
		expect(text).toContain(summaryRow('all rows', rows));
		expect(text).toContain(summaryRow('course content (no ᵒ)', rows.filter((row) => !outOfScope(row))));
		expect(text).toContain(summaryRow('computational (no ᶜ, no ᵒ)', computational));
	});

	it.each(['000', '001', '002', '003', '004'])('counts the computational items of course %s', (course) => {
		expect(text).toContain(courseRow(course, computational.filter((row) => row.course === course)));
	});

	it('counts the computational items with neither a lesson nor an exercise where it lists them', () => {
		const neither = computational.filter((row) => row.lesson === 'no' && row.exercise === 'no').length;
		expect(text).toContain(`Of the ${computational.length} computational items, **${neither} have neither a lesson nor an exercise**`);
	});
});
