/** What the editor shows before anything is loaded: DESIGN.md's example, ready to change and run. */
export const STARTER_SCENARIO = `title: Backprop, one step
model:
  input: 2
  layers:
    - type: dense
      units: 2
      activation: sigmoid
      W: [[0.1, -0.2], [0.4, 0.3]]
      b: [0.1, -0.1]
    - { type: dense, units: 1, activation: sigmoid, W: [[0.5, -0.5]], b: [0.2] }
loss: half_squared_error
reduction: mean
optimizer: { type: sgd, lr: 0.5 }
data:
  X: [[1.0, 0.5]]
  Y: [[1.0]]
training: { epochs: 1, batch_size: 1 }
`;
