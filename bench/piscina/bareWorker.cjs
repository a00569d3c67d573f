// The bare piscina baseline's worker: the same tiny task and the same spin loop as the harness benchmark, no Amdahl.
const { spin, tiny } = require('./tasks.cjs');

module.exports = ({ op, n }) => (op === 'spin' ? spin(n) : tiny(n));
