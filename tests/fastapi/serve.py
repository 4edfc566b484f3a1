"""Serves app.py with uvicorn on 127.0.0.1, on a port the operating system chooses, for one
live test (tests/fastapi/live.rs).

It binds the socket itself and prints the port on stdout, one line, before serving: the
socket is already listening, so a connection made once the line is read waits in its
backlog until uvicorn accepts it. It exits as soon as its stdin closes, which happens when
the test drops its handle or when the test process dies, so no server outlives its test.
"""

import os
import socket
import sys
import threading


def exit_when_stdin_closes() -> None:
    sys.stdin.buffer.read()
    # Nothing to save: the state is in memory. `_exit` does not wait for open connections.
    os._exit(0)


def main() -> None:
    # Watching first: a test that dies while the app is still being imported stops it too.
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    import uvicorn

    from app import app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    print(sock.getsockname()[1], flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
