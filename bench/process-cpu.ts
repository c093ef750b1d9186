/** CPU time a process has used, read from /proc (Linux only): less noisy than wall time on a shared machine. */
import { readFileSync } from 'node:fs';

/** User + system CPU of `pid` in ms (10 ms resolution), or null where /proc is not available. */
export function cpuMsOf(pid: number | undefined): number | null {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux); the name (field 2) may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
