// Who a process is, told apart from a later one that got the same pid: its pid and host, and on
// Linux the boot it runs in and the kernel's record of when it started (/proc/<pid>/stat). A lock
// left by a process that is gone must be taken over; one held by a process that still runs, never.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Linux: /proc/sys/kernel/random/boot_id (a pid from before a reboot names nobody). */
  bootId?: string | undefined;
  /** Linux: the process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  startTicks?: string | undefined;
}

/** Whether the process recorded in a lock still runs; `unknown` when it ran on another host. */
export type Liveness = 'running' | 'gone' | 'unknown';

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function startTicksOf(pid: number): string | undefined {
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19]; // fields[0] is field 3 (the state)
}

const bootId = (): string | undefined => readOrUndefined('/proc/sys/kernel/random/boot_id')?.trim();

export function currentProcess(): ProcessIdentity {
  return {
    pid: process.pid,
    host: hostname(),
    bootId: bootId(),
    startTicks: startTicksOf(process.pid),
  };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user. ESRCH: no such process.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function liveness(owner: ProcessIdentity): Liveness {
  if (owner.host !== hostname()) return 'unknown';
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return 'gone';
  if (!pidExists(owner.pid)) return 'gone';
  if (owner.startTicks) {
    const now = startTicksOf(owner.pid);
    if (now !== undefined && now !== owner.startTicks) return 'gone'; // the pid was reused
  }
  return 'running';
}
