#!/usr/bin/env python3
"""Runs a command and prints its wall time and memory: `measure.py [--label L] -- CMD...`.

Prints one line `wall=S cpu=S maxrss=KB treepeak=KB`:
  cpu       user + system time of the command and every descendant it reaped (wait4's rusage).
  maxrss    the largest peak RSS of any single process in the tree (wait4's rusage: on Linux the child's own
            peak and, through signal->cmaxrss, the peak of every descendant it reaped; a maximum, not a sum).
            This is what GNU `time -f %M` prints.
  treepeak  the largest sum of RSS over the whole process tree at once, sampled from /proc every 20 ms:
            what the machine must hold when kiln runs several clang jobs in parallel.
"""
import os, subprocess, sys, time

def tree_rss_kb(root):
    children = {}
    rss = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open(f'/proc/{pid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            ppid = int(fields[1])
            rss[int(pid)] = int(fields[21]) * os.sysconf('SC_PAGE_SIZE') // 1024
            children.setdefault(ppid, []).append(int(pid))
        except (OSError, IndexError, ValueError):
            pass
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total

def main():
    args = sys.argv[1:]
    label = ''
    if args[:1] == ['--label']:
        label, args = args[1] + ' ', args[2:]
    if args[:1] == ['--']:
        args = args[1:]
    start = time.monotonic()
    proc = subprocess.Popen(args)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.02)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    print(f'{label}wall={wall:.2f} cpu={cpu:.2f} maxrss={usage.ru_maxrss} treepeak={peak} status={code}', file=sys.stderr, flush=True)
    sys.exit(code)

main()
