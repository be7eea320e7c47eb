import type { BackendChoice } from '../lib/engine/backends/backend';
/** The command line of `stepwise`, parsed into a closed set of options. */
export interface CliOptions {
	command: 'trace' | 'info' | 'check' | 'grade' | 'variant' | 'teacher' | 'db' | 'lti' | 'import' | 'export' | 'help';
	/** the scenario (trace, info, export), the Keras code (import) or exercise (grade, variant: a path or a library id) */
	file: string;
	/** check: the exercise files and folders */
	paths: string[];
	/** grade, variant: the student id, the assignment seed, the answers file */
	student: string | null;
	seed: string;
	answers: string | null;
	/** variant: print the answer key instead of the statement's numbers */
	key: boolean;
	/** the language of messages and statements */
	lang: 'fr' | 'en';
	/** teacher add: the teacher's email and name */
	email: string;
	name: string;
	/** db: the subcommand, and the two ends of a copy (a SQLite file or a postgres:// URL) */
	dbCommand: 'migrate' | 'copy';
	from: string | null;
	to: string | null;
	/** lti: the subcommand */
	ltiCommand: LtiCommand;
	/** lti platform add (--name is the platform's name): the registration as typed, checked by lti/platforms.ts */
	platform: { issuer: string; clientId: string; deployments: string[]; authUrl: string; jwksUrl: string; tokenUrl: string };
	/** lti platform remove: the platform's id as `lti platform list` prints it */
	platformId: number | null;
	/** lti tool-urls: Stepwise's public address */
	origin: string | null;
	/** db copy: remove control characters from every text instead of refusing what the target cannot store */
	stripControl: boolean;
	json: boolean;
	/** export: the code to write; info: --keras prints Keras's model.summary() table */
	framework: 'keras' | 'pytorch' | null;
	debug: boolean;
	/** null: the scenario's own choice (auto unless it says) */
	backend: BackendChoice | null;
	steps: { from: number; to: number } | null;
	names: string[] | null;
}

export type LtiCommand = 'platform-add' | 'platform-list' | 'platform-remove' | 'keys-rotate' | 'tool-urls';

export class UsageError extends Error {}

export const USAGE = `Usage:
  stepwise trace FILE [--json] [--steps 3..5] [--names 'W[1],dW[1]'] [--backend reference|gpu|auto]
  stepwise info FILE [--json | --keras]
  stepwise import MODEL.py
  stepwise export FILE --keras | --pytorch
  stepwise check PATH...
  stepwise variant EXERCISE --student ID [--seed S] [--key] [--json] [--lang fr|en]
  stepwise grade EXERCISE --student ID --answers FILE.json [--seed S] [--lang fr|en]
  stepwise teacher add EMAIL [--name NAME]
  stepwise db migrate
  stepwise db copy --from ./data/stepwise.db --to postgres://user:password@host:5432/database [--strip-control]
  stepwise lti platform add --name NAME --issuer URL --client-id ID --deployment ID[,ID…]
                            --auth-url URL --jwks-url URL --token-url URL
  stepwise lti platform list [--json]
  stepwise lti platform remove ID
  stepwise lti keys rotate
  stepwise lti tool-urls --origin https://stepwise.univ.fr

  trace   runs the scenario and prints every event (forward, loss, backward, update)
  info    prints the model: layers, output shapes, parameter counts (--keras: as Keras's
          model.summary() prints it); FILE may be Keras code (.py)
  import  reads a Keras Sequential model written in Python and prints it as scenario YAML;
          what it leaves out is said on stderr, what it cannot take refused with its line and column
  export  prints the scenario's network as Keras or PyTorch code that computes the same numbers
          (FILE may be Keras code too: Keras to PyTorch)
  check   validates exercise files (and the .yaml files of folders): schema, questions, 50 variants
  variant prints a student's numbers (--key: the answer key, by question id)
  grade   grades a student's answers ({"q1": "0,5933", …}) and prints the report as JSON
  teacher creates a teacher account in the database (DATABASE_URL, else STEPWISE_DB, default
          ./data/stepwise.db); the password is asked, or read from STEPWISE_PASSWORD
  db      migrate: applies the migrations not applied yet to that database
          copy: every row of one database (a SQLite file or a postgres:// URL) into another,
          empty one, in one transaction; prints row counts and checksums on both sides
  lti     platform add: registers an LTI 1.3 platform (Moodle's "Tool configuration details":
          Platform ID, Client ID, Deployment ID, Authentication request URL, Public keyset URL,
          Access token URL); --deployment repeats, or takes a comma list
          platform list: the registered platforms and their ids; platform remove: forgets one
          keys rotate: a new signing key signs from now on (the old one stays published a day)
          tool-urls: the addresses to give the platform, for Stepwise served at --origin
          (same database as teacher)
  EXERCISE is an exercise file, or the id of one in exercises/

Options:
  --json        print DESIGN.md's JSON instead of the readable report
  --keras, --pytorch
                export: the framework to write; info --keras: Keras's summary table
  --steps A..B  only steps A to B (also A, A.. or ..B)
  --names LIST  only these quantities, comma-separated (W[1],dW[1],loss)
  --backend     reference (float64 loops), gpu (gpu.js kernels, float32) or auto (gpu for
                large runs); default: the scenario's backend, else auto
  --student ID  the student whose numbers are drawn (with --seed, an assignment's seed)
  --from, --to  db copy: the source and the target
  --strip-control
                db copy: remove control characters (other than tab and newline) from every
                text, such as the NUL that PostgreSQL cannot store; says how many cells changed
  --issuer, --client-id, --deployment, --auth-url, --jwks-url, --token-url
                lti platform add: the platform's values (https, or http on 127.0.0.1/localhost)
  --origin URL  lti tool-urls: where Stepwise is served, as the platform's users reach it
  --lang        fr or en (default en): messages and statements
  --debug       print the stack trace of an unexpected error`;

const COMMANDS = ['trace', 'info', 'check', 'grade', 'variant', 'teacher', 'db', 'lti', 'import', 'export'] as const;

const LTI_EXPECTED = 'expected: lti platform add|list|remove ID, lti keys rotate, or lti tool-urls --origin URL';

/** The lti subcommand of the words after `lti`, and the platform id of `platform remove`. */
function parseLti(words: string[], options: CliOptions): CliOptions {
	const [group, action, ...rest] = words;
	const known = (command: LtiCommand, count = 0): CliOptions => {
		if (rest.length !== count) throw new UsageError(rest.length > count ? `unexpected argument "${rest[count]}"` : LTI_EXPECTED);
		return { ...options, command: 'lti', ltiCommand: command };
	};
	// a missing value is said by the registration's check, field by field
	if (group === 'platform' && action === 'add') return known('platform-add');
	if (group === 'platform' && action === 'list') return known('platform-list');
	if (group === 'platform' && action === 'remove') {
		const id = rest[0];
		if (id === undefined) throw new UsageError('lti platform remove needs the platform\'s id (see lti platform list)');
		if (!/^\d{1,9}$/.test(id)) throw new UsageError(`lti platform remove: "${id}" is not a platform id (a whole number, see lti platform list)`);
		return { ...known('platform-remove', 1), platformId: Number(id) };
	}
	if (group === 'keys' && action === 'rotate') return known('keys-rotate');
	if (group === 'tool-urls' && action === undefined) {
		if (!options.origin) throw new UsageError('lti tool-urls needs --origin URL, the address Stepwise is served at');
		return { ...options, command: 'lti', ltiCommand: 'tool-urls' };
	}
	throw new UsageError(LTI_EXPECTED);
}

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
	const options: CliOptions = {
		command: 'help',
		file: '',
		paths: [],
		student: null,
		seed: '',
		answers: null,
		key: false,
		lang: 'en',
		email: '',
		name: '',
		dbCommand: 'migrate',
		from: null,
		to: null,
		stripControl: false,
		ltiCommand: 'platform-list',
		platform: { issuer: '', clientId: '', deployments: [], authUrl: '', jwksUrl: '', tokenUrl: '' },
		platformId: null,
		origin: null,
		json: false,
		framework: null,
		debug: false,
		backend: null,
		steps: null,
		names: null
	};
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
			case '--keras':
			case '--pytorch':
				if (options.framework && options.framework !== flag.slice(2)) throw new UsageError('give --keras or --pytorch, not both');
				options.framework = flag === '--keras' ? 'keras' : 'pytorch';
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
			case '--student':
				options.student = value();
				break;
			case '--seed':
				options.seed = value();
				break;
			case '--answers':
				options.answers = value();
				break;
			case '--key':
				options.key = true;
				break;
			case '--name':
				options.name = value();
				break;
			case '--from':
				options.from = value();
				break;
			case '--to':
				options.to = value();
				break;
			case '--issuer':
				options.platform.issuer = value();
				break;
			case '--client-id':
				options.platform.clientId = value();
				break;
			case '--deployment':
				options.platform.deployments.push(value());
				break;
			case '--auth-url':
				options.platform.authUrl = value();
				break;
			case '--jwks-url':
				options.platform.jwksUrl = value();
				break;
			case '--token-url':
				options.platform.tokenUrl = value();
				break;
			case '--origin':
				options.origin = value();
				break;
			case '--strip-control':
				options.stripControl = true;
				break;
			case '--lang': {
				const lang = value();
				if (lang !== 'fr' && lang !== 'en') throw new UsageError(`--lang: expected fr or en, got "${lang}"`);
				options.lang = lang;
				break;
			}
			case '--backend': {
				const backend = value();
				if (backend !== 'reference' && backend !== 'gpu' && backend !== 'auto') {
					throw new UsageError(`--backend: expected reference, gpu or auto, got "${backend}"`);
				}
				options.backend = backend;
				break;
			}
			default:
				if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
				positional.push(arg);
		}
	}
	const [command, file, ...extra] = positional;
	if (command === undefined) return options;
	const known = COMMANDS.find((c) => c === command);
	if (!known) throw new UsageError(`unknown command "${command}"; expected ${COMMANDS.join(', ')}`);
	if (known === 'check') {
		if (!file) throw new UsageError('check needs exercise files or folders, such as exercises/');
		return { ...options, command: known, paths: positional.slice(1) };
	}
	if (known === 'teacher') {
		if (file !== 'add' || extra.length !== 1) throw new UsageError('expected: teacher add EMAIL [--name NAME]');
		return { ...options, command: known, email: extra[0] };
	}
	if (known === 'lti') return parseLti(positional.slice(1), options);
	if (known === 'db') {
		if (file === 'migrate' && extra.length === 0) return { ...options, command: known, dbCommand: 'migrate' };
		if (file === 'copy' && extra.length === 0 && options.from && options.to) return { ...options, command: known, dbCommand: 'copy' };
		throw new UsageError('expected: db migrate, or db copy --from DATABASE --to DATABASE');
	}
	if (!file) throw new UsageError(`${known} needs ${known === 'import' ? 'a Python file' : known === 'trace' || known === 'info' || known === 'export' ? 'a scenario file' : 'an exercise file or id'}`);
	if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
	if ((known === 'grade' || known === 'variant') && !options.student) throw new UsageError(`${known} needs --student ID`);
	if (known === 'grade' && !options.answers) throw new UsageError('grade needs --answers FILE.json');
	if (known === 'export' && !options.framework) throw new UsageError('export needs --keras or --pytorch');
	if (known === 'info' && options.framework === 'pytorch') throw new UsageError('info takes --keras (Keras\'s summary table), not --pytorch');
	if (options.framework && known !== 'export' && known !== 'info') throw new UsageError(`--${options.framework} goes with export (or --keras with info)`);
	return { ...options, command: known, file };
}
