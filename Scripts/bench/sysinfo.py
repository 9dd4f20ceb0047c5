"""What machine and which versions a `make bench` report was measured with."""
import json
import os
import platform
import re
import subprocess
import sys


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def machine():
    cpuinfo = read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    meminfo = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo"), re.M)
    os_release = re.search(r'^PRETTY_NAME="?([^"\n]*)"?', read("/etc/os-release"), re.M)
    return {
        "cpu": model.group(1).strip() if model else platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": round(int(meminfo.group(1)) / 1024 / 1024, 1) if meminfo else None,
        "os": (os_release.group(1) if os_release else platform.system()) + f" (Linux {platform.release()})",
        "arch": platform.machine(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def git(root, *args):
    try:
        return subprocess.run(["git", "-C", root, *args], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def wasmkit_version(root):
    """The resolved WasmKit version (Package.resolved), else the one Package.swift pins."""
    try:
        with open(os.path.join(root, "Package.resolved")) as f:
            for pin in json.load(f).get("pins", []):
                if pin.get("identity") == "wasmkit":
                    return pin.get("state", {}).get("version") or pin.get("state", {}).get("revision", "?")[:12]
    except (OSError, ValueError):
        pass
    pinned = re.search(r'WasmKit\.git",\s*exact:\s*"([^"]+)"', read(os.path.join(root, "Package.swift")))
    return pinned.group(1) if pinned else "unknown"


def versions(ctx, active):
    commit = git(ctx.root, "rev-parse", "--short", "HEAD")
    dirty = git(ctx.root, "status", "--porcelain", "--untracked-files=no")
    result = {
        "kiln_commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "python": sys.version.split()[0],
        "wasmkit": ctx.wasmkit_version,
    }
    for engine in active:
        result[engine.name] = engine.version()
    return result
