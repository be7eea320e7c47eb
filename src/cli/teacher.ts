/** `stepwise teacher add EMAIL`: the first teacher account (and any other) from the command line. */
import { createInterface } from 'node:readline';
import { emailProblem, hashPassword, passwordProblem } from '../lib/server/auth';
import { configuredLocation, describeLocation } from '../lib/server/db/location';
import { openStorage } from '../lib/server/db/open';
import { controlCharacter } from '../lib/server/text';
import type { CliOptions } from './args';

/** Asks for the password without echoing it. */
function askPassword(prompt: string): Promise<string> {
	return new Promise((resolve) => {
		const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
		const output = rl as unknown as { _writeToOutput: (s: string) => void };
		process.stdout.write(prompt);
		output._writeToOutput = () => {};
		rl.question('', (answer) => {
			rl.close();
			process.stdout.write('\n');
			resolve(answer);
		});
	});
}

/** The text rule of the forms (text.ts), said for the command line. */
function controlProblem(what: string, text: string, kind: 'text' | 'password' = 'text'): string | null {
	const code = controlCharacter(text, kind);
	return code ? `the ${what} holds an invisible control character (${code}): type it again without it` : null;
}

export async function teacherCommand(options: CliOptions): Promise<number> {
	const problem = controlProblem('email', options.email) ?? emailProblem(options.email) ?? controlProblem('name', options.name);
	if (problem) {
		process.stderr.write(`stepwise: ${problem}\n`);
		return 1;
	}
	let password = process.env.STEPWISE_PASSWORD;
	if (password === undefined) {
		if (!process.stdin.isTTY) {
			process.stderr.write('stepwise: no terminal to ask the password on; set STEPWISE_PASSWORD\n');
			return 1;
		}
		password = await askPassword(`Password for ${options.email}: `);
		if ((await askPassword('Again: ')) !== password) {
			process.stderr.write('stepwise: the two passwords differ\n');
			return 1;
		}
	}
	const weak = controlProblem('password', password, 'password') ?? passwordProblem(password);
	if (weak) {
		process.stderr.write(`stepwise: ${weak}\n`);
		return 1;
	}
	const location = configuredLocation();
	const where = describeLocation(location);
	const storage = await openStorage(location);
	try {
		if (await storage.teacherByEmail(options.email)) {
			process.stderr.write(`stepwise: ${options.email} already has an account in ${where}\n`);
			return 1;
		}
		const teacher = await storage.createTeacher(options.email, options.name || options.email.split('@')[0], await hashPassword(password));
		process.stdout.write(`teacher ${teacher.email} added to ${where}\n`);
		return 0;
	} finally {
		await storage.close();
	}
}
