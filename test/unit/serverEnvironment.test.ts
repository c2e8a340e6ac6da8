import assert from 'node:assert/strict';
import { SERVER_ENVIRONMENT, serverEnvironment } from '../../server/src/protocol';

describe("the language server's environment (how the client starts it)", () => {
  it("adds SERVER_ENVIRONMENT to the starting process's variables, and keeps a value the user set", () => {
    assert.deepEqual(serverEnvironment({ PATH: '/bin' }), { PATH: '/bin', ...SERVER_ENVIRONMENT });
    assert.deepEqual(serverEnvironment({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '65536' }), { PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '65536' });
    assert.equal(serverEnvironment({}).MALLOC_MMAP_THRESHOLD_, String(2 * 1024 * 1024));
  });
});
