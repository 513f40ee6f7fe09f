"""Servers the harness starts: free ports, waiting for a listener, process groups, clean environments."""
import os
import select
import signal
import socket
import subprocess
import time


class HarnessError(Exception):
    """A server or a check of the harness failed; the message says which and where its log is."""


def free_ports(count, base=0):
    """`count` loopback ports: base, base+1, ... or, with base 0, ports the kernel says are free."""
    if base:
        return list(range(base, base + count))
    sockets = [socket.socket() for _ in range(count)]
    try:
        for held in sockets:
            held.bind(("127.0.0.1", 0))
        return [held.getsockname()[1] for held in sockets]
    finally:
        for held in sockets:
            held.close()


def wait_for_port(port, process, what, log_path, timeout=30):
    """Returns once 127.0.0.1:port accepts a connection; raises if `process` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HarnessError(f"{what} exited with status {process.returncode} before listening: see {log_path}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.005)
    raise HarnessError(f"{what} did not listen on 127.0.0.1:{port} within {timeout} s: see {log_path}")


def read_line(stream, timeout):
    """One line of a child's text `stream`, or "" at its end or when none comes within `timeout` seconds."""
    readable, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if readable else ""


def kill_group(pid, wait_for=None):
    """Each server is started as the leader of its own process group (the emulator's holds the function too)."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if wait_for is not None:
        try:
            wait_for.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(pid, signal.SIGKILL)


def clean_environment(extra):
    """This process's environment without any AWS or operator credentials, plus `extra`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OPERATOR_", "FUNCTION_ROLE_"))}
    return {**base, **extra}
