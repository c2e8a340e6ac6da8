import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { distanceKm, postalCentroid, profilePosition } from '../../server/src/engine/geo';

describe('geo: postal centroids, read from the zipcodes package on first use', () => {
  it('places US ZIP codes (ZIP+4 too) and Canadian forward sortation areas, and nothing else', () => {
    assert.deepEqual(postalCentroid('US', '10001'), postalCentroid('US', '10001-1234'));
    const nyc = postalCentroid('US', '10001');
    assert.ok(nyc && Math.abs(nyc.lat - 40.75) < 0.1 && Math.abs(nyc.lon + 74.0) < 0.1, JSON.stringify(nyc));
    const toronto = postalCentroid('CA', 'm5v 3l9');
    assert.ok(toronto && Math.abs(toronto.lat - 43.64) < 0.2, JSON.stringify(toronto));
    assert.equal(postalCentroid('US', '1000'), undefined);
    assert.equal(postalCentroid('US', '00000'), undefined);
    assert.equal(postalCentroid('FR', '75001'), undefined);
    assert.deepEqual(profilePosition({ zip: '10001', country: 'United States' }), nyc);
    assert.ok(Math.abs(distanceKm(nyc!, toronto!) - 550) < 30);
  });

  it('loads the zipcodes package only when a postal code is placed, not with the engine', () => {
    // A fresh process: this one has loaded the package already.
    const engine = join(__dirname, '..', '..', 'server', 'src', 'engine');
    const script = `
      const loaded = () => Object.keys(require.cache).some((path) => /[\\\\/]node_modules[\\\\/]zipcodes[\\\\/]/.test(path));
      require(${JSON.stringify(join(engine, 'evaluator.js'))});
      const geo = require(${JSON.stringify(join(engine, 'geo.js'))});
      const before = loaded();
      geo.profilePosition({ latitude: 1, longitude: 2 });
      const afterCoordinates = loaded();
      geo.postalCentroid('US', '10001');
      process.stdout.write(JSON.stringify([before, afterCoordinates, loaded()]));`;
    assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })), [false, false, true]);
  });
});
