// The configurations a profile plans: the cluster engines' options (--dask-scheduler, --ray-address, --ray-mode)
// reach every configuration of a cluster engine, and no other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planConfigs } from '../../runner/profile/configPlan';
import { hello } from './analysisSynthetic';

void test('engine options go with the configurations of the cluster engines only', () => {
  const engineOptions = { rayAddress: 'auto', rayMode: 'actors' };
  const configs = planConfigs(
    { backends: ['process', 'ray', 'dask'], startMethods: null, workers: [1, 2], engineOptions },
    hello(),
  );
  const byId = Object.fromEntries(configs.map((c) => [c.id, c.options]));
  assert.deepEqual(byId['ray-k1'], engineOptions);
  assert.deepEqual(byId['ray-k2'], engineOptions);
  assert.deepEqual(byId['dask-k2'], engineOptions);
  assert.equal(byId.serial, undefined);
  assert.ok(
    configs.filter((c) => c.backend === 'process').every((c) => c.options === undefined),
    'a local pool has no engine options',
  );
  const none = planConfigs({ backends: ['ray'], startMethods: null, workers: [2] }, hello());
  assert.equal(none[1]!.options, undefined);
});
