/** The Stepwise engine: pure TypeScript, no DOM, for Node, the browser and Web Workers. */
export { run } from './run';
export { batchRowsOf, epochOf, eventAt, findEvent, kindOf, nameAt, phaseOf, scanEvents, stepOf, toJsonEvent, traceBytes, PHASES } from './trace';
export type { EventKind, StepLayout, Trace, TraceEvent, TraceSetup, JsonEvent, Phase, Divergence } from './trace';
export type { LayerPlan } from './plan';
export { paramCount, outputShape, summarize, planOf } from './summary';
export type { ModelSummary } from './summary';
export { validateScenario, estimateCost } from './scenario/validate';
export type { Scenario, NetworkScenario, PerceptronScenario, RunCost } from './scenario/validate';
export { parseScenarioText, readScenario, readText, withLines } from './scenario/parse';
export { ScenarioError, formatIssue, formatPath } from './scenario/issues';
export type { ScenarioIssue } from './scenario/issues';
export { receptiveField, outputSize } from './layers/window';
export type { Tensor, NestedNumbers } from './tensor';
export { toNested, shapeLabel } from './tensor';
export { LIMITS } from './limits';
