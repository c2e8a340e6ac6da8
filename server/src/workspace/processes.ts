/**
 * Whether a process of that number runs on this machine: signal 0 checks without sending
 * anything. One of another user's counts as running (it exists, but cannot be signalled).
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
