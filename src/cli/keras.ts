/** The Keras commands of `stepwise`: import (Keras code → scenario YAML) and export (scenario → Keras or PyTorch code). */
import { readText } from '../lib/engine/scenario/parse';
import { exportModel } from '../lib/keras/export';
import { importKeras } from '../lib/keras/import';
import { kerasToYaml } from '../lib/keras/yaml';
import type { CliOptions } from './args';
import { readFile } from './scenario';

export function importCommand(options: CliOptions): number {
	const { yaml, notes } = kerasToYaml(readFile(options.file));
	process.stdout.write(yaml);
	for (const note of notes) process.stderr.write(`${options.file}: ${note}\n`);
	return 0;
}

/** A scenario file, or Keras code (.py) read as `import` reads it: Keras to PyTorch in one step. */
export function exportCommand(options: CliOptions): number {
	const framework = options.framework ?? 'keras';
	const text = readFile(options.file);
	const code = options.file.endsWith('.py') ? exportModel(importKeras(text).scenario, framework) : readText(text, (data) => exportModel(data, framework));
	process.stdout.write(code);
	return 0;
}
