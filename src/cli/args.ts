/** The command line of `stepwise`, parsed into a closed set of options. */
export interface CliOptions {
	command: 'trace' | 'info' | 'help';
	file: string;
	json: boolean;
	debug: boolean;
	backend: 'reference';
	steps: { from: number; to: number } | null;
	names: string[] | null;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  stepwise trace FILE [--json] [--steps 3..5] [--names 'W[1],dW[1]'] [--backend reference]
  stepwise info FILE [--json]

  trace   runs the scenario and prints every event (forward, loss, backward, update)
  info    prints the model: layers, output shapes, parameter counts

Options:
  --json        print DESIGN.md's JSON instead of the readable report
  --steps A..B  only steps A to B (also A, A.. or ..B)
  --names LIST  only these quantities, comma-separated (W[1],dW[1],loss)
  --backend     reference (float64) is the backend available
  --debug       print the stack trace of an unexpected error`;

function parseSteps(text: string): { from: number; to: number } {
	const match = /^(\d*)(?:\.\.(\d*))?$/.exec(text.trim());
	if (!match || (match[1] === '' && match[2] === undefined)) {
		throw new UsageError(`--steps: expected A..B, A, A.. or ..B with whole numbers, got "${text}"`);
	}
	const from = match[1] === '' ? 0 : Number(match[1]);
	const to = match[2] === undefined ? from : match[2] === '' ? Infinity : Number(match[2]);
	if (to < from) throw new UsageError(`--steps: ${from}..${to} is empty; the first step comes first`);
	return { from, to };
}

export function parseArgs(argv: string[]): CliOptions {
	const options: CliOptions = { command: 'help', file: '', json: false, debug: false, backend: 'reference', steps: null, names: null };
	const positional: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new UsageError(`${flag} needs a value`);
			return v;
		};
		switch (flag) {
			case '--json':
				options.json = true;
				break;
			case '--debug':
				options.debug = true;
				break;
			case '-h':
			case '--help':
				options.command = 'help';
				return options;
			case '--steps':
				options.steps = parseSteps(value());
				break;
			case '--names':
				options.names = value().split(',').map((name) => name.trim()).filter(Boolean);
				break;
			case '--backend': {
				const backend = value();
				if (backend !== 'reference') throw new UsageError(`--backend: "${backend}" is not available; use reference`);
				break;
			}
			default:
				if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
				positional.push(arg);
		}
	}
	const [command, file, ...extra] = positional;
	if (command === undefined) return options;
	if (command !== 'trace' && command !== 'info') throw new UsageError(`unknown command "${command}"; expected trace or info`);
	if (!file) throw new UsageError(`${command} needs a scenario file`);
	if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
	return { ...options, command, file };
}
