import { toJsonEvent, type Trace } from '../engine/trace';

/**
 * The whole trace as the CLI's `trace FILE --json` prints it (DESIGN.md's contract), without
 * the trailing newline: the same serialiser, so a downloaded run and a command-line run of the
 * same scenario are byte for byte the same file.
 */
export function traceJson(trace: Trace): string {
	const parts: string[] = [];
	for (let seq = 0; seq < trace.length; seq++) parts.push(JSON.stringify(toJsonEvent(trace, seq)));
	return `{"events":[${parts.join(',')}]}`;
}
