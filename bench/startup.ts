/**
 * `npm run -s bench -- --cli [--runs N] [--no-before] [--before DIR]`: how long one call of the
 * command line takes, start to exit, as a shell or a grading loop sees it. Side by side in the same run,
 * commands alternating within each round so that a machine getting busier slows them all alike:
 * `node -e 0` (Node's own start-up), the built CLI (`node scripts/cli.mjs`, what `stepwise` and
 * `npm run cli` run), `npm run -s cli` once (npm's own start-up on top), and, unless
 * --no-before, the CLI as it was run before it was built: tsx compiling src/cli/main.ts, of this
 * checkout or of the one --before names (an older commit, with a node_modules: `git worktree add
 * /tmp/before COMMIT && ln -s "$PWD/node_modules" /tmp/before/`). Every built command's output is
 * compared with tsx's, byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SMALL = resolve(ROOT, 'bench/cli/small.yaml');
const EXERCISE = ['backprop-221', '--student', '21901234'];

interface Command {
	name: string;
	args: string[];
	/** seconds the call should stay under, where the issue sets one */
	goal?: number;
}

const COMMANDS: Command[] = [
	{ name: 'info (small scenario)', args: ['info', SMALL, '--json'], goal: 0.3 },
	{ name: 'trace (small scenario)', args: ['trace', SMALL, '--json'], goal: 0.3 },
	{ name: 'variant --key', args: ['variant', ...EXERCISE, '--key', '--json'] },
	{ name: 'grade (numbers)', args: ['grade', ...EXERCISE, '--answers', resolve(ROOT, 'bench/cli/answers.json')], goal: 0.5 },
	{ name: 'grade (an expression)', args: ['grade', ...EXERCISE, '--answers', resolve(ROOT, 'bench/cli/answers-expression.json')], goal: 0.5 }
];

interface Run {
	seconds: number;
	status: number | null;
	stdout: string;
}

function time(command: string, args: string[], cwd = ROOT): Run {
	const start = performance.now();
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
	const seconds = (performance.now() - start) / 1000;
	if (result.error) throw result.error;
	return { seconds, status: result.status, stdout: result.stdout };
}

const built = (args: string[]): Run => time(process.execPath, ['scripts/cli.mjs', ...args]);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function parseOptions(argv: string[]): { runs: number; before: boolean; beforeDir: string } {
	const options = { runs: 5, before: true, beforeDir: ROOT };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--no-before') options.before = false;
		else if (argv[i] === '--before') {
			if (argv[i + 1] === undefined) throw new Error('--before needs a folder');
			options.beforeDir = resolve(argv[++i]);
		}
		else if (argv[i] === '--runs') {
			const runs = Number(argv[++i]);
			if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a whole number of at least 1, got "${argv[i]}"`);
			options.runs = runs;
		} else throw new Error(`unknown option ${argv[i]}; expected --runs N, --no-before, --before DIR`);
	}
	return options;
}

const seconds = (s: number): string => `${s.toFixed(3)} s`;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

export function benchStartup(argv: string[]): void {
	const options = parseOptions(argv);
	const before = (args: string[]): Run => time(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], options.beforeDir);
	process.stdout.write(`${cpus()[0]?.model ?? process.arch}, ${availableParallelism()} cores, Node ${process.versions.node}; load average ${load()} at the start\n`);
	// a warm-up call each, which also builds build-cli/ if it is stale, and the outputs compared
	const differ: string[] = [];
	for (const command of COMMANDS) {
		const after = built(command.args);
		if (after.status !== 0) throw new Error(`${command.name}: exit ${after.status}`);
		if (options.before) {
			const old = before(command.args);
			if (old.status !== after.status || old.stdout !== after.stdout) differ.push(command.name);
		}
	}
	const times = new Map<string, number[]>();
	const add = (key: string, run: Run) => times.set(key, [...(times.get(key) ?? []), run.seconds]);
	for (let round = 0; round < options.runs; round++) {
		add('node -e 0', time(process.execPath, ['-e', '0']));
		for (const command of COMMANDS) {
			add(`after ${command.name}`, built(command.args));
			if (options.before) add(`before ${command.name}`, before(command.args));
		}
		add('npm run -s cli -- info', time('npm', ['run', '-s', 'cli', '--', ...COMMANDS[0].args]));
	}
	const rows = [
		['node -e 0', '', seconds(median(times.get('node -e 0') ?? [])), '', ''],
		...COMMANDS.map((command) => {
			const after = median(times.get(`after ${command.name}`) ?? []);
			const old = options.before ? seconds(median(times.get(`before ${command.name}`) ?? [])) : 'not run';
			const goal = command.goal === undefined ? '' : `< ${command.goal} s: ${after < command.goal ? 'met' : 'NOT met'}`;
			return [command.name, old, seconds(after), goal, differ.includes(command.name) ? 'DIFFERS' : options.before ? 'same' : ''];
		}),
		['info through `npm run -s cli --`', '', seconds(median(times.get('npm run -s cli -- info') ?? [])), '', '']
	];
	const header = ['call (median of ' + options.runs + ')', 'before (tsx)', 'after (built)', 'goal', 'output'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
	const baseline = options.before ? `before: tsx on ${options.beforeDir === ROOT ? 'this checkout' : options.beforeDir}\n` : '';
	process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n${baseline}load average ${load()} at the end\n`);
	if (differ.length > 0) process.exitCode = 1;
}
