"""A hung cache server: accepts connections, reads what it is sent, and never answers.

What a Redis stuck in a long command, a paused VM or a half-broken network looks like
from the site: the connection opens, and then nothing. `make loadtest` runs it in place
of its Redis for one phase (on the same port); tests/site/test_cache_outage.py runs it
in a thread. It counts the connections it accepted, so a test can see how often the
site tried.

    python bench/hung_server.py PORT     # until stopped (SIGTERM or ^C): then prints the count
"""

import signal
import socketserver
import sys
import threading


class _Silent(socketserver.BaseRequestHandler):
    def handle(self):
        with self.server.lock:
            self.server.accepted += 1
        self.request.settimeout(1.0)
        while not self.server.closing.is_set():
            try:
                if not self.request.recv(65536):
                    return  # the client gave up
            except TimeoutError:
                continue
            except OSError:
                return


class HungServer(socketserver.ThreadingTCPServer):
    """The server; ``start()`` serves in a thread, ``stop()`` closes it and every connection."""

    allow_reuse_address = True  # the port is handed back to the real Redis at once
    daemon_threads = True
    block_on_close = False

    def __init__(self, port=0, host="127.0.0.1"):
        super().__init__((host, port), _Silent)
        self.port = self.server_address[1]
        self.accepted = 0
        self.lock = threading.Lock()
        self.closing = threading.Event()
        self._thread = None

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.closing.set()
        self.shutdown()
        self.server_close()


def main():
    server = HungServer(int(sys.argv[1]))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"hung cache server on 127.0.0.1:{server.port}: accepting, never answering", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print(f"accepted {server.accepted} connections", flush=True)


if __name__ == "__main__":
    main()
