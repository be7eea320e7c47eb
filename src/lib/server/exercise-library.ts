/// <reference types="vite/client" />
/**
 * The exercise library (`exercises/*.yaml`), read once per server process. It lives in
 * src/lib/server because exercises hold their answer keys: a page gets statements and reports,
 * never the scenario of a student's variant.
 */
import { formatExerciseIssues, parseExercise, type Exercise } from '../exercises/exercise';
import { TOPIC_IDS } from '../topics';

let library: Exercise[] | undefined;
let sources: Map<string, string> | undefined;

function parseLibraryFile(path: string, text: string): Exercise {
	const parsed = parseExercise(text, path);
	if (!parsed.ok) throw new Error(`${path}:\n${formatExerciseIssues(parsed.issues)}`);
	return parsed.exercise;
}

const byTopicThenId = (a: Exercise, b: Exercise): number => TOPIC_IDS.indexOf(a.topic) - TOPIC_IDS.indexOf(b.topic) || a.id.localeCompare(b.id);

/** Parses library texts by file path (those in `parsed` are read already); a broken file is a bug of the app, reported at once. */
export function buildExerciseLibrary(files: Record<string, string>, parsed: ReadonlyMap<string, Exercise> = new Map()): Exercise[] {
	return Object.entries(files)
		.map(([path, text]) => parsed.get(path) ?? parseLibraryFile(path, text))
		.sort(byTopicThenId);
}

function bundledFiles(): Record<string, string> {
	try {
		return import.meta.glob('/exercises/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
	} catch {
		// Outside Vite `import.meta.glob` does not exist; such callers use buildExerciseLibrary.
		return {};
	}
}

/** The files parsed ahead by `warmExerciseLibrary`, by path. */
const parsedAhead = new Map<string, Exercise>();

/** Every exercise, by topic (in the lessons' order), then by id. */
export function listExercises(): Exercise[] {
	library ??= buildExerciseLibrary(bundledFiles(), parsedAhead);
	return library;
}

/**
 * Reads the library when the server starts, one file at a time with the requests served in
 * between: read at once it held the event loop for seconds (a busy machine), and the students
 * joining right after a restart waited for it. A request that needs the library before the end
 * reads the files not parsed yet.
 */
export async function warmExerciseLibrary(pause: () => Promise<void>): Promise<void> {
	for (const [path, text] of Object.entries(bundledFiles())) {
		await pause();
		if (library) return;
		parsedAhead.set(path, parseLibraryFile(path, text));
	}
	listExercises();
}

export function getExercise(id: string): Exercise | undefined {
	return listExercises().find((exercise) => exercise.id === id);
}

/** The YAML text of a library exercise, as an assignment keeps it (later edits of the library do not change it). */
export function librarySource(id: string): string | undefined {
	sources ??= new Map(Object.entries(bundledFiles()).map(([path, text]) => [(path.split('/').pop() ?? path).replace(/\.ya?ml$/, ''), text]));
	return sources.get(id);
}
