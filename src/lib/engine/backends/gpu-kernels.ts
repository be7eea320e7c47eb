/**
 * The gpu.js kernels of the gpu backend, as source text: gpu.js parses a kernel's source, and
 * text survives every bundler and minifier unchanged where a function's own source may not.
 * Each kernel computes one output cell; arguments are indexed [y][x] or [z][y][x] (gpu.js's
 * order: x is the innermost, row-major axis), sizes and settings come in as constants.
 */

import type { ActivationName } from '../activations';

/** Entry-wise activations by code, so that one kernel text serves every one of them. */
export const ACTIVATION_CODES: Record<Exclude<ActivationName, 'softmax'>, number> = {
	identity: 0,
	step: 1,
	sigmoid: 2,
	tanh: 3,
	relu: 4,
	softplus: 5,
	square: 6
};

/**
 * tanh as a rational function (Eigen's float tanh: a degree-13 odd polynomial over a degree-6
 * even one, the input clamped to ±7.9), within a few float32 ulps of tanh. gpu.js's WebAssembly
 * backend calls out to JavaScript for Math.tanh and Math.exp; this is multiplications only, so
 * its SIMD lanes keep going. σ(z) = ½ + ½·tanh(z/2) takes it too.
 */
const TANH = `function tanhRational(v) {
	const x = Math.min(Math.max(v, -7.90531110763549805), 7.90531110763549805);
	const x2 = x * x;
	let p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13;
	p = x2 * p + -8.60467152213735e-11;
	p = x2 * p + 5.12229709037114e-8;
	p = x2 * p + 1.48572235717979e-5;
	p = x2 * p + 6.37261928875436e-4;
	p = x2 * p + 4.89352455891786e-3;
	let q = x2 * 1.19825839466702e-6 + 1.18534705686654e-4;
	q = x2 * q + 2.2684346324390e-3;
	q = x2 * q + 4.89352518554385e-3;
	return (x * p) / q;
}`;

/** f(z) for the activation coded `act` (step: H(z) with H(0) = 1, as the reference has it). */
const ACTIVATE = `function activateCode(z, act) {
	if (act === 1) { if (z >= 0) { return 1; } return 0; }
	if (act === 2) { return 0.5 + 0.5 * tanhRational(0.5 * z); }
	if (act === 3) { return tanhRational(z); }
	if (act === 4) { return Math.max(z, 0); }
	if (act === 5) { return Math.max(z, 0) + Math.log(1 + Math.exp(-Math.abs(z))); }
	if (act === 6) { return z * z; }
	return z;
}`;

/**
 * f′ as the reference computes it: σ′ = a(1 − a), tanh′ = 1 − a², softplus′ = σ(z), square′ = 2z, relu′ = [z > 0]
 * with `reluAtZero` (the scenario's convention) where |z| ≤ 10⁻⁹, float noise around 0.
 */
const DERIVATIVE = `function derivativeCode(z, a, act, reluAtZero) {
	if (act === 1) { return 0; }
	if (act === 2) { return a * (1 - a); }
	if (act === 3) { return 1 - a * a; }
	if (act === 4) { if (Math.abs(z) <= 0.000000001) { return reluAtZero; } if (z > 0) { return 1; } return 0; }
	if (act === 5) { return 0.5 + 0.5 * tanhRational(0.5 * z); }
	if (act === 6) { return 2 * z; }
	return 1;
}`;

export const HELPERS = [TANH, ACTIVATE, DERIVATIVE];

/** Z[n][j] = b[j] + Σ_k A[n][k] W[j][k]; output [units, samples]. */
export const DENSE_Z = `function (a, w, b) {
	let sum = b[this.thread.x];
	for (let k = 0; k < this.constants.inputs; k++) {
		sum += a[this.thread.y][k] * w[this.thread.x][k];
	}
	return sum;
}`;

/**
 * The forward-only grid's kernels have one-dimensional outputs (cell n·units + j), which gpu.js
 * lays out in a square texture: a 65,536-sample batch fits where a 65,536-wide row would pass
 * WebGL's texture size. A[n][j] = f(b[j] + Σ_k W[j][k] A_prev[n][k]).
 */
export const DENSE_A_FLAT = `function (a, w, b) {
	const n = Math.floor(this.thread.x / this.constants.units);
	const j = this.thread.x - n * this.constants.units;
	let sum = b[j];
	for (let k = 0; k < this.constants.inputs; k++) {
		sum += a[n * this.constants.inputs + k] * w[j * this.constants.inputs + k];
	}
	return activateCode(sum, this.constants.act);
}`;

/** The weighted sums alone, for a softmax output; output [samples · units]. */
export const DENSE_Z_FLAT = `function (a, w, b) {
	const n = Math.floor(this.thread.x / this.constants.units);
	const j = this.thread.x - n * this.constants.units;
	let sum = b[j];
	for (let k = 0; k < this.constants.inputs; k++) {
		sum += a[n * this.constants.inputs + k] * w[j * this.constants.inputs + k];
	}
	return sum;
}`;

/** softmax over each sample's units; output [samples · units]. */
export const SOFTMAX_FLAT = `function (z) {
	const n = Math.floor(this.thread.x / this.constants.units);
	const start = n * this.constants.units;
	let max = z[start];
	for (let k = 1; k < this.constants.units; k++) {
		max = Math.max(max, z[start + k]);
	}
	let sum = 0;
	for (let k = 0; k < this.constants.units; k++) {
		sum += Math.exp(z[start + k] - max);
	}
	return Math.exp(z[this.thread.x] - max) / sum;
}`;

/** dW[j][k] = Σ_n dZ[n][j] A[n][k]; output [inputs, units]. */
export const DENSE_DW = `function (dz, a) {
	let sum = 0;
	for (let n = 0; n < this.constants.samples; n++) {
		sum += dz[n][this.thread.y] * a[n][this.thread.x];
	}
	return sum;
}`;

/** db[j] = Σ_n dZ[n][j]; output [units]. */
export const DENSE_DB = `function (dz) {
	let sum = 0;
	for (let n = 0; n < this.constants.samples; n++) {
		sum += dz[n][this.thread.x];
	}
	return sum;
}`;

/** dA_prev[n][k] = Σ_j dZ[n][j] W[j][k]; output [inputs, samples]. */
export const DENSE_DINPUT = `function (dz, w) {
	let sum = 0;
	for (let j = 0; j < this.constants.units; j++) {
		sum += dz[this.thread.y][j] * w[j][this.thread.x];
	}
	return sum;
}`;

/** A = f(Z) entry by entry; output [size]. */
export const ACTIVATE_ENTRIES = `function (z) {
	return activateCode(z[this.thread.x], this.constants.act);
}`;

/** A = f(Z) over a dense layer's Z still on the device; output [units, samples]. */
export const ACTIVATE_ROWS = `function (z) {
	return activateCode(z[this.thread.y][this.thread.x], this.constants.act);
}`;

/** A = f(Z) over a convolution's feature maps still on the device; output [W′, H′, N·F]. */
export const ACTIVATE_PLANES = `function (z) {
	return activateCode(z[this.thread.z][this.thread.y][this.thread.x], this.constants.act);
}`;

/** dZ = dA ⊙ f′(Z); output [size]. */
export const ACTIVATION_GRADIENT = `function (z, a, da) {
	return da[this.thread.x] * derivativeCode(z[this.thread.x], a[this.thread.x], this.constants.act, this.constants.reluAtZero);
}`;

/** softmax over each row, shifted by the row's maximum; output [width, rows]. */
export const SOFTMAX = `function (z) {
	let max = z[this.thread.y][0];
	for (let j = 1; j < this.constants.width; j++) {
		max = Math.max(max, z[this.thread.y][j]);
	}
	let sum = 0;
	for (let j = 0; j < this.constants.width; j++) {
		sum += Math.exp(z[this.thread.y][j] - max);
	}
	return Math.exp(z[this.thread.y][this.thread.x] - max) / sum;
}`;

/** softmax's Jacobian applied to dA: dZ_j = a_j (dA_j − Σ_k a_k dA_k); output [width, rows]. */
export const SOFTMAX_GRADIENT = `function (a, da) {
	let weighted = 0;
	for (let k = 0; k < this.constants.width; k++) {
		weighted += a[this.thread.y][k] * da[this.thread.y][k];
	}
	return a[this.thread.y][this.thread.x] * (da[this.thread.y][this.thread.x] - weighted);
}`;

/**
 * Z[n·F + f][i][j] = b[f] + Σ_c Σ_ki Σ_kj X[n·C + c][i·s − p + ki][j·s − p + kj] · W[f·C + c][ki′][kj′],
 * padding cells reading 0, ki′ = kh − 1 − ki when the kernel is flipped; output [outW, outH, N·F].
 */
export const CONV_Z = `function (x, w, b) {
	const n = Math.floor(this.thread.z / this.constants.filters);
	const f = this.thread.z - n * this.constants.filters;
	const top = this.thread.y * this.constants.strideH - this.constants.padH;
	const left = this.thread.x * this.constants.strideW - this.constants.padW;
	let sum = b[f];
	for (let c = 0; c < this.constants.channels; c++) {
		for (let ki = 0; ki < this.constants.kh; ki++) {
			const row = top + ki;
			if (row >= 0 && row < this.constants.height) {
				let kr = ki;
				if (this.constants.flip === 1) { kr = this.constants.kh - 1 - ki; }
				for (let kj = 0; kj < this.constants.kw; kj++) {
					const col = left + kj;
					if (col >= 0 && col < this.constants.width) {
						let kc = kj;
						if (this.constants.flip === 1) { kc = this.constants.kw - 1 - kj; }
						sum += x[n * this.constants.channels + c][row][col] * w[f * this.constants.channels + c][kr][kc];
					}
				}
			}
		}
	}
	return sum;
}`;

/** dW[f·C + c][kr][kc] = Σ_n Σ_i Σ_j dZ[n·F + f][i][j] · X[n·C + c][i·s − p + ki][j·s − p + kj]; output [kw, kh, F·C]. */
export const CONV_DW = `function (dz, x) {
	const f = Math.floor(this.thread.z / this.constants.channels);
	const c = this.thread.z - f * this.constants.channels;
	let ki = this.thread.y;
	let kj = this.thread.x;
	if (this.constants.flip === 1) { ki = this.constants.kh - 1 - this.thread.y; kj = this.constants.kw - 1 - this.thread.x; }
	let sum = 0;
	for (let n = 0; n < this.constants.samples; n++) {
		for (let i = 0; i < this.constants.outH; i++) {
			const row = i * this.constants.strideH - this.constants.padH + ki;
			if (row >= 0 && row < this.constants.height) {
				for (let j = 0; j < this.constants.outW; j++) {
					const col = j * this.constants.strideW - this.constants.padW + kj;
					if (col >= 0 && col < this.constants.width) {
						sum += dz[n * this.constants.filters + f][i][j] * x[n * this.constants.channels + c][row][col];
					}
				}
			}
		}
	}
	return sum;
}`;

/** db[f] = Σ_n Σ_i Σ_j dZ[n·F + f][i][j]; output [F]. */
export const CONV_DB = `function (dz) {
	let sum = 0;
	for (let n = 0; n < this.constants.samples; n++) {
		for (let i = 0; i < this.constants.outH; i++) {
			for (let j = 0; j < this.constants.outW; j++) {
				sum += dz[n * this.constants.filters + this.thread.x][i][j];
			}
		}
	}
	return sum;
}`;

/**
 * dX[n·C + c][row][col] = Σ_f Σ over the windows that read (row, col) of δ · the weight it met:
 * window i reads row i·s − p + ki, so i = (row + p − ki) / s where that is a whole number in range.
 * Output [W, H, N·C].
 */
export const CONV_DINPUT = `function (dz, w) {
	const n = Math.floor(this.thread.z / this.constants.channels);
	const c = this.thread.z - n * this.constants.channels;
	let sum = 0;
	for (let ki = 0; ki < this.constants.kh; ki++) {
		const ti = this.thread.y + this.constants.padH - ki;
		const i = Math.floor(ti / this.constants.strideH);
		if (ti >= 0 && i * this.constants.strideH === ti && i < this.constants.outH) {
			let kr = ki;
			if (this.constants.flip === 1) { kr = this.constants.kh - 1 - ki; }
			for (let kj = 0; kj < this.constants.kw; kj++) {
				const tj = this.thread.x + this.constants.padW - kj;
				const j = Math.floor(tj / this.constants.strideW);
				if (tj >= 0 && j * this.constants.strideW === tj && j < this.constants.outW) {
					let kc = kj;
					if (this.constants.flip === 1) { kc = this.constants.kw - 1 - kj; }
					for (let f = 0; f < this.constants.filters; f++) {
						sum += dz[n * this.constants.filters + f][i][j] * w[f * this.constants.channels + c][kr][kc];
					}
				}
			}
		}
	}
	return sum;
}`;

/**
 * The pooled value of each window, plane by plane (planes = samples × channels); output
 * [outW, outH, planes]. A mode that keeps one cell keeps the largest `sign`·value (max: 1, min: −1).
 */
export const POOL = `function (x) {
	const top = this.thread.y * this.constants.strideH;
	const left = this.thread.x * this.constants.strideW;
	const sign = this.constants.sign;
	let best = sign * x[this.thread.z][top][left];
	let sum = 0;
	for (let ki = 0; ki < this.constants.kh; ki++) {
		for (let kj = 0; kj < this.constants.kw; kj++) {
			const value = x[this.thread.z][top + ki][left + kj];
			sum += value;
			best = Math.max(best, sign * value);
		}
	}
	if (this.constants.winner === 1) { return sign * best; }
	return sum / (this.constants.kh * this.constants.kw);
}`;

/** The flat input index of each window's first winner, as the reference picks it on ties. */
export const POOL_WINNER = `function (x) {
	const top = this.thread.y * this.constants.strideH;
	const left = this.thread.x * this.constants.strideW;
	const sign = this.constants.sign;
	let best = sign * x[this.thread.z][top][left];
	let bestRow = top;
	let bestCol = left;
	for (let ki = 0; ki < this.constants.kh; ki++) {
		for (let kj = 0; kj < this.constants.kw; kj++) {
			const value = sign * x[this.thread.z][top + ki][left + kj];
			if (value > best) { best = value; bestRow = top + ki; bestCol = left + kj; }
		}
	}
	return (this.thread.z * this.constants.height + bestRow) * this.constants.width + bestCol;
}`;

/**
 * dX of pooling, gathered per input cell over the windows that contain it: a mode that keeps one
 * cell passes each δ to its window's winner, average shares it equally. Output [W, H, planes].
 */
export const POOL_GRADIENT = `function (da, winner) {
	const here = (this.thread.z * this.constants.height + this.thread.y) * this.constants.width + this.thread.x;
	let sum = 0;
	for (let ki = 0; ki < this.constants.kh; ki++) {
		const ti = this.thread.y - ki;
		const i = Math.floor(ti / this.constants.strideH);
		if (ti >= 0 && i * this.constants.strideH === ti && i < this.constants.outH) {
			for (let kj = 0; kj < this.constants.kw; kj++) {
				const tj = this.thread.x - kj;
				const j = Math.floor(tj / this.constants.strideW);
				if (tj >= 0 && j * this.constants.strideW === tj && j < this.constants.outW) {
					if (this.constants.winner === 1) {
						if (winner[this.thread.z][i][j] === here) { sum += da[this.thread.z][i][j]; }
					} else {
						sum += da[this.thread.z][i][j] / (this.constants.kh * this.constants.kw);
					}
				}
			}
		}
	}
	return sum;
}`;
