import { at } from '../engine/tensor';
import type { Context } from './context';
import { caption, type Rule } from './element';
import { imageIndex } from './notation';

/** A[0]: the samples of the step, copied from data.X. */
export function inputLayer(ctx: Context): Rule {
	const S = ctx.symbols;
	const perSample = ctx.event.value.shape.slice(1);
	const samples = sampleList(ctx.rows);
	const plural = ctx.rows.length > 1;
	return {
		caption: caption(
			`Entrée du réseau : ${plural ? 'exemples' : 'exemple'} ${samples} des données`,
			`Input of the network: ${plural ? 'samples' : 'sample'} ${samples} of the data`
		),
		symbolic: `${S.tensor('a', 0)} = ${S.notation === 'bracket' ? 'X' : 'x'}`,
		body: ([n, ...rest]) => {
			const unit = imageIndex(perSample, rest);
			const sample = ctx.sample(n);
			return {
				lhs: S.element('a', 0, unit, sample),
				rhs: S.data('x', unit, sample),
				numbers: null,
				expression: ctx.ex(at(ctx.event.value, [n, ...rest])),
				reads: []
			};
		}
	};
}

/** 1-based data rows: "1 to 32" when they follow each other, else a list. */
export function sampleList(rows: Int32Array): string {
	const oneBased = Array.from(rows, (r) => r + 1);
	const consecutive = oneBased.every((r, i) => i === 0 || r === oneBased[i - 1] + 1);
	if (oneBased.length > 2 && consecutive) return `${oneBased[0]}–${oneBased[oneBased.length - 1]}`;
	if (oneBased.length > 8) return `${oneBased.slice(0, 8).join(', ')}, …`;
	return oneBased.join(', ');
}
