import { readFileSync } from 'node:fs';

/**
 * A Linux process's memory figure from /proc (kB → MB), or undefined where there is no /proc.
 * `VmHWM` is the peak resident memory of the process's own address space: unlike
 * `process.resourceUsage().maxRSS`, it does not start from the parent's peak (Linux carries
 * `ru_maxrss` over fork and exec, so a process started by a 4 GB benchmark reported a 4 GB peak).
 */
export function procMemoryMb(pid: number | 'self' | undefined, field: 'VmHWM' | 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
