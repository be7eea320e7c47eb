import { describe, expect, it } from 'vitest';
import { readScenario } from '../../../src/lib/engine/scenario/parse';
import { run } from '../../../src/lib/engine/run';
import { homeExample } from '../../../src/lib/formulas/example';
import { texNumber } from '../../../src/lib/formulas/numbers';
import { STARTER_SCENARIO } from '../../../src/lib/replay/starter';
import { DESIGN_EXAMPLE, values } from '../../helpers';

describe("the home page's example formula (src/lib/formulas/example.ts)", () => {
	// DESIGN.md's worked example: z₂ = 0.4·1 + 0.3·0.5 − 0.1 = 0.45
	const z = values(run(readScenario(STARTER_SCENARIO)), 1, 'Z[1]')[1];

	it('runs DESIGN.md’s example, the same network the starter holds', () => {
		expect(values(run(DESIGN_EXAMPLE), 1, 'Z[1]')[1]).toBe(z);
		expect(z).toBeCloseTo(0.45, 12);
	});

	it.each([
		{ locale: 'fr', numbers: '= 0{,}4 \\cdot 1 + 0{,}3 \\cdot 0{,}5 + (-0{,}1) = 0{,}45' },
		{ locale: 'en', numbers: '= 0.4 \\cdot 1 + 0.3 \\cdot 0.5 + (-0.1) = 0.45' }
	] as const)('writes the formula and the numbers the engine computed ($locale)', ({ locale, numbers }) => {
		const [formula, substituted] = homeExample(locale);
		expect(formula).toBe('z^{[1]}_{2} = w^{[1]}_{21} a^{[0]}_{1} + w^{[1]}_{22} a^{[0]}_{2} + b^{[1]}_{2}');
		expect(substituted).toBe(numbers);
		expect(substituted.endsWith(`= ${texNumber(z, { digits: 4, locale })}`)).toBe(true);
	});
});
