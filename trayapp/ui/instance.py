"""One tray app per user (and per data folder): a QLockFile plus a QLocalServer.

A start first tries to reach a running instance's server and, if it answers, asks it to show itself
and steps aside. Otherwise it takes the lock file; only while holding the lock does it remove a
server name left behind by a crashed instance (removing it without the lock could cut off a live
instance that is just starting), and listens.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import time
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

SHOW = b"show\n"
ACK = b"ok\n"
CONNECT_MS = 500
REPLY_MS = 2000


class Role(Enum):
    PRIMARY = "primary"  # this process is the instance: it holds the lock and listens
    SECONDARY = "secondary"  # another instance answered and was asked to show itself
    UNRESPONSIVE = "unresponsive"  # another live process holds the lock but does not answer


def server_name(data_dir: Path) -> str:
    """Per user and per data folder (TRAYAPP_HOME), short enough for a Unix socket path."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        user = "user"
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    safe = "".join(c for c in user if c.isalnum())[:16] or "user"
    return f"trayapp-{safe}-{digest}"


def ask_to_show(name: str) -> bool:
    """Connect to a running instance and ask it to come forward. True if one is there."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(SHOW)
    socket.waitForBytesWritten(REPLY_MS)
    acknowledged = socket.waitForReadyRead(REPLY_MS) and bytes(socket.readAll().data()).startswith(ACK)
    if not acknowledged:
        log.warning("the running trayapp took the connection but did not acknowledge")
    socket.disconnectFromServer()
    return True


class SingleInstance(QObject):
    show_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.name = server_name(self.data_dir)
        self.lock_path = self.data_dir / "tray.lock"
        self._lock = QLockFile(str(self.lock_path))
        # Never stale by age (the default is 30 s: a second start would steal a long-running
        # instance's lock); a lock whose process is gone is still recognised and taken over.
        self._lock.setStaleLockTime(0)
        self.server: QLocalServer | None = None

    def acquire(self, wait: float = 5.0) -> Role:
        """Become the instance, or hand over to the running one. `wait`: how long to keep trying when
        another live process holds the lock but is not listening yet (it may be starting)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait
        while True:
            if ask_to_show(self.name):
                return Role.SECONDARY
            if self._lock.tryLock(100):
                self._listen()
                return Role.PRIMARY
            if time.monotonic() >= deadline:
                return Role.UNRESPONSIVE
            time.sleep(0.2)

    def _listen(self) -> None:
        # we hold the lock: any server of this name is a crashed instance's leftover
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        if server.listen(self.name):
            self.server = server
        else:  # still the instance (we hold the lock); a second start just cannot reach us
            log.error("cannot listen for other starts of trayapp (%s): %s", self.name, server.errorString())

    @Slot()
    def _on_connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.disconnected.connect(socket.deleteLater)
            socket.readyRead.connect(lambda s=socket: self._read(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data())
            if line == SHOW:
                socket.write(ACK)
                socket.flush()
                log.info("another start of trayapp asked this one to show itself")
                self.show_requested.emit()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        if self._lock.isLocked():
            self._lock.unlock()
