/**
 * Keeps the newest of a series of requests: each `begin` supersedes the ones before it, and a
 * reply is wanted only for the newest request and only for the version it asked about. The size
 * over time is asked again whenever a segment's counts change, and the answer to an older
 * question (an earlier version of the segment) must not replace a newer one.
 */
export class LatestRequest {
  private current = 0;
  private version: number | undefined;

  /** A new request for `version`; returns its ticket. */
  begin(version: number): number {
    this.version = version;
    return ++this.current;
  }

  /** The version of the newest request (undefined before the first). */
  get latestVersion(): number | undefined {
    return this.version;
  }

  /** Whether the reply to `ticket`, computed for `version`, is still wanted. */
  wanted(ticket: number, version: number): boolean {
    return ticket === this.current && version === this.version;
  }
}
