// The minimum counted samples of a configuration (docs/method.md): what samplingPlan.ts asks of every one before
// the decision decides where the next samples go.
export { minimumSamples } from '../analysis/convergence';
