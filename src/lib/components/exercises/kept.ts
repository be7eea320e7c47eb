/**
 * A practice exercise's work in this tab (sessionStorage), by exercise and numbers: the fields as
 * typed and the last check's answer, so that coming back from "Show me this step" (by its link or
 * by the browser's Back) finds the answers and the feedback as they were.
 */
import type { Localized } from '$lib/exercises/exercise';
import type { PracticeReport } from '$lib/pages/exercises';

export interface KeptPractice {
	fields: Record<string, string>;
	report: PracticeReport | null;
	refused: Localized | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isFields = (value: unknown): value is Record<string, string> => isObject(value) && Object.values(value).every((v) => typeof v === 'string');
const isLocalized = (value: unknown): value is Localized => isObject(value) && typeof value.fr === 'string' && typeof value.en === 'string';
// the report is this page's own, written by the server: its outline is enough to trust it
const isReport = (value: unknown): value is PracticeReport =>
	isObject(value) && typeof value.points === 'number' && typeof value.max === 'number' && Array.isArray(value.questions) && value.questions.every(isObject);
const isKept = (value: unknown): value is KeptPractice =>
	isObject(value) && isFields(value.fields) && (value.report === null || isReport(value.report)) && (value.refused === null || isLocalized(value.refused));

export function practiceStore(id: string, n: number) {
	const key = `stepwise.practice.${id}.${n}`;
	return {
		read(): KeptPractice | null {
			try {
				const parsed: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null');
				return isKept(parsed) ? parsed : null;
			} catch {
				// storage blocked or an entry damaged: as if nothing were kept
				return null;
			}
		},
		save(kept: KeptPractice): void {
			try {
				sessionStorage.setItem(key, JSON.stringify(kept));
			} catch {
				// storage full or blocked: the page works, only the way back forgets
			}
		}
	};
}
