/** The preview's size-over-time requests (client/src/latest.ts): only the newest request's reply, for its version, is shown. */
import assert from 'node:assert/strict';
import { LatestRequest } from '../../client/src/latest';

describe('LatestRequest (the preview asks for the size over time again when the counts change)', () => {
  it('wants the reply of the newest request for its version only', () => {
    const latest = new LatestRequest();
    assert.equal(latest.latestVersion, undefined);
    const first = latest.begin(3);
    assert.equal(latest.wanted(first, 3), true);
    const second = latest.begin(4);
    assert.equal(latest.latestVersion, 4);
    assert.equal(latest.wanted(first, 3), false, 'a reply for the older version arriving late');
    assert.equal(latest.wanted(first, 4), false, 'an older request, even for the new version');
    assert.equal(latest.wanted(second, 3), false, 'the server answered for another version than asked');
    assert.equal(latest.wanted(second, 4), true);
  });
});
