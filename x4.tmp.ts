import { run } from './src/lib/engine/run';
import { scenarioOf } from './bench/peers/stepwise';
import { taskData, type DenseTask } from './bench/tasks';
const sc = scenarioOf(taskData('mlp', {}) as DenseTask, 'reference');
for (let i = 0; i < 6; i++) { const t = performance.now(); run(sc); console.log((performance.now() - t).toFixed(0)); }
