import { nearlyEqual } from '../engine/numeric';
import { at } from '../engine/tensor';
import type { TraceSetup } from '../engine/trace';
import { read, type Context } from './context';
import { caption, type Rule } from './element';
import { initialValue } from './init';
import { subscript } from './notation';
import { countNote, product, sum, type Piece } from './terms';

/**
 * The threshold unit of courses 000 and 002, in their own symbols whatever the notation: inputs
 * x_i, weights w_i, an optional bias (b, or course 002's w_0 on x_0 = 1), threshold θ, output ŷ,
 * error e = y − ŷ, and the profile's learning rate.
 */
function settings(ctx: Context): NonNullable<TraceSetup['perceptron']> {
	const p = ctx.trace.setup.perceptron;
	if (!p) throw new Error('formulas: perceptron event in a network trace');
	return p;
}

const weight = (i: number): string => `w${subscript([i])}`;
/** b, or w_0 where the course writes the bias as the weight of x_0 = 1 */
const biasOf = (ctx: Context): string => (ctx.options.profile.symbols.bias === 'w0' ? 'w_0' : 'b');
const input = (i: number): string => `x${subscript([i])}`;

/** The perceptron's event `name` (W[1], b[1], A[0], Z[1], A[1], error), or null for a name it never records. */
export function perceptronRule(ctx: Context, name: string): Rule | null {
	const phase = ctx.event.phase;
	if (name === 'W[1]') return phase === 'init' ? initialWeights(ctx) : weightUpdate(ctx);
	if (name === 'b[1]') return phase === 'init' ? initialBias(ctx) : biasUpdate(ctx);
	if (name === 'A[0]') return inputs(ctx);
	if (name === 'Z[1]') return weightedSum(ctx);
	if (name === 'A[1]') return threshold(ctx);
	if (name === 'error') return error(ctx);
	return null;
}

function initialWeights(ctx: Context): Rule {
	const n = ctx.event.value.shape[1];
	return {
		caption: caption('Poids initiaux du perceptron', 'Initial weights of the perceptron'),
		symbolic: `w = (w_1, \\ldots, w_{${n}})`,
		body: initialValue(ctx, ([, i]) => weight(i))
	};
}

function initialBias(ctx: Context): Rule {
	return {
		caption: caption('Biais initial du perceptron', 'Initial bias of the perceptron'),
		symbolic: biasOf(ctx),
		body: initialValue(ctx, () => biasOf(ctx))
	};
}

function inputs(ctx: Context): Rule {
	const row = ctx.rows[0] + 1;
	return {
		caption: caption(`Entrées du perceptron : ligne ${row} des données`, `Inputs of the perceptron: row ${row} of the data`),
		symbolic: `x = X_{${row}}`,
		body: ([n, i]) => ({ lhs: input(i), rhs: `X_{${row},${i + 1}}`, numbers: null, expression: ctx.ex(at(ctx.event.value, [n, i])), reads: [] })
	};
}

function weightedSum(ctx: Context): Rule {
	const { bias } = settings(ctx);
	const before = ctx.step - 1;
	const W = ctx.tensor(before, 'W[1]');
	const x = ctx.tensor(ctx.step, 'A[0]');
	const b = bias ? ctx.tensor(before, 'b[1]') : null;
	const n = W.shape[1];
	const B = biasOf(ctx);
	return {
		caption: caption(`Somme pondérée du perceptron${bias ? '' : ' (sans biais)'}`, `Weighted sum of the perceptron${bias ? '' : ' (no bias)'}`),
		symbolic: `z = \\sum_{i=1}^{${n}} w_i x_i${bias ? ` + ${B}` : ''}`,
		body: () => {
			const terms: Piece[] = [];
			const reads = [];
			for (let i = 0; i < n; i++) {
				terms.push(product(ctx.leaf(weight(i), at(W, [0, i])), ctx.leaf(input(i), at(x, [0, i]))));
				reads.push(read(before, 'W[1]', [0, i]), read(ctx.step, 'A[0]', [0, i]));
			}
			const s = sum(terms);
			const withBias = b ? ctx.leaf(B, at(b, [0])) : null;
			if (b) reads.push(read(before, 'b[1]', [0]));
			return {
				lhs: 'z',
				rhs: withBias ? `${s.symbolic} + ${B}` : s.symbolic,
				numbers: withBias ? `${s.substituted} + ${withBias.substituted}` : s.substituted,
				expression: withBias ? `${s.expression}+${withBias.expression}` : s.expression,
				reads,
				note: countNote(s, ctx.options.locale)
			};
		}
	};
}

function threshold(ctx: Context): Rule {
	const { threshold: theta, strict } = settings(ctx);
	const relation = strict ? '>' : '\\ge';
	const words = strict ? { fr: '>', en: '>' } : { fr: '≥', en: '≥' };
	const z = at(ctx.tensor(ctx.step, 'Z[1]'), [0, 0]);
	// as the engine, a sum within float noise of θ counts as θ (0.1 + 0.2 is 0.3 on paper)
	const shown = nearlyEqual(z, theta) ? theta : z;
	return {
		caption: caption(
			`Sortie du neurone à seuil : 1 quand z ${words.fr} ${ctx.text(theta, 'fr')}, sinon 0`,
			`Output of the threshold unit: 1 when z ${words.en} ${ctx.text(theta, 'en')}, else 0`
		),
		symbolic: `\\hat{y} = \\mathbf{1}[z ${relation} \\theta],\\quad \\theta = ${ctx.tex(theta)}`,
		body: () => ({
			lhs: '\\hat{y}',
			rhs: `\\mathbf{1}[z ${relation} \\theta]`,
			numbers: `\\mathbf{1}[${ctx.tex(shown)} ${relation} ${ctx.tex(theta)}]`,
			expression: `${ctx.ex(shown)} ${strict ? '>' : '>='} ${ctx.ex(theta)} ? 1 : 0`,
			reads: [read(ctx.step, 'Z[1]', [0, 0])]
		})
	};
}

function error(ctx: Context): Rule {
	const Y = ctx.trace.setup.Y;
	if (!Y) throw new Error('formulas: a perceptron trace without targets');
	const y = Y.data[ctx.rows[0]];
	const yHat = at(ctx.tensor(ctx.step, 'A[1]'), [0, 0]);
	return {
		caption: caption('Erreur : sortie attendue moins sortie obtenue', 'Error: the expected output minus the output'),
		symbolic: 'e = y - \\hat{y}',
		body: () => ({
			lhs: 'e',
			rhs: 'y - \\hat{y}',
			numbers: `${ctx.op(y)} - ${ctx.op(yHat)}`,
			expression: `${ctx.ex(y)}-${ctx.ex(yHat)}`,
			reads: [read(ctx.step, 'A[1]', [0, 0])]
		})
	};
}

/** Delta rule w_i ← w_i + α e x_i (course 001), or the spreadsheet's w_i ← w_i + η e for every i (course 000). */
function weightUpdate(ctx: Context): Rule {
	const { rule } = settings(ctx);
	const { lr } = ctx.trace.setup;
	const before = ctx.step - 1;
	const W = ctx.tensor(before, 'W[1]');
	const e = at(ctx.tensor(ctx.step, 'error'), [0, 0]);
	const x = ctx.tensor(ctx.step, 'A[0]');
	const delta = rule === 'delta';
	const { learningRate: rate, text } = ctx.symbols;
	const r = text.learningRate;
	return {
		caption: delta
			? caption(`Règle du perceptron : w_i ← w_i + ${r}·(y − ŷ)·x_i`, `Perceptron rule: w_i ← w_i + ${r}·(y − ŷ)·x_i`)
			: caption(
					`Règle du tableur : la correction ${r}·(y − ŷ) est ajoutée à chaque poids, quelle que soit son entrée`,
					`Spreadsheet rule: the correction ${r}·(y − ŷ) is added to every weight, whatever its input`
				),
		symbolic: delta ? `w_i \\leftarrow w_i + ${rate}\\, e\\, x_i` : `w_i \\leftarrow w_i + ${rate}\\, e`,
		body: ([, i]) => {
			const w = at(W, [0, i]);
			const reads = [read(before, 'W[1]', [0, i]), read(ctx.step, 'error', [0, 0])];
			if (!delta) {
				return {
					lhs: weight(i),
					relation: '\\leftarrow',
					rhs: `${weight(i)} + ${rate}\\, e`,
					numbers: `${ctx.op(w)} + ${ctx.op(lr)} \\cdot ${ctx.op(e)}`,
					expression: `${ctx.ex(w)}+${ctx.ex(lr)}*${ctx.ex(e)}`,
					reads
				};
			}
			const xi = at(x, [0, i]);
			reads.push(read(ctx.step, 'A[0]', [0, i]));
			return {
				lhs: weight(i),
				relation: '\\leftarrow',
				rhs: `${weight(i)} + ${rate}\\, e\\, ${input(i)}`,
				// the engine computes w + (η·e)·x
				numbers: `${ctx.op(w)} + ${ctx.op(lr)} \\cdot ${ctx.op(e)} \\cdot ${ctx.op(xi)}`,
				expression: `${ctx.ex(w)}+${ctx.ex(lr)}*${ctx.ex(e)}*${ctx.ex(xi)}`,
				reads
			};
		}
	};
}

function biasUpdate(ctx: Context): Rule {
	const { lr } = ctx.trace.setup;
	const before = ctx.step - 1;
	const b = at(ctx.tensor(before, 'b[1]'), [0]);
	const e = at(ctx.tensor(ctx.step, 'error'), [0, 0]);
	const B = biasOf(ctx);
	const plain = B === 'b' ? 'b' : 'w₀';
	const { learningRate: rate, text } = ctx.symbols;
	return {
		caption: caption(
			`Mise à jour du biais : ${plain} ← ${plain} + ${text.learningRate}·(y − ŷ)`,
			`Bias update: ${plain} ← ${plain} + ${text.learningRate}·(y − ŷ)`
		),
		symbolic: `${B} \\leftarrow ${B} + ${rate}\\, e`,
		body: () => ({
			lhs: B,
			relation: '\\leftarrow',
			rhs: `${B} + ${rate}\\, e`,
			numbers: `${ctx.op(b)} + ${ctx.op(lr)} \\cdot ${ctx.op(e)}`,
			expression: `${ctx.ex(b)}+${ctx.ex(lr)}*${ctx.ex(e)}`,
			reads: [read(before, 'b[1]', [0]), read(ctx.step, 'error', [0, 0])]
		})
	};
}
