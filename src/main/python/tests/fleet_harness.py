"""Starts what a fleet on one machine needs, on free loopback ports: edgetrain daemons (the jar, fleet API on), one
Flower SuperLink, one SuperNode per daemon, and `flwr run` in deployment mode. Used by the tests and the README's
walk-through numbers. Everything it starts it stops (by process id)."""

import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]          # the edgetrain checkout
APP = ROOT / "src/main/python"                        # the Flower app (pyproject.toml)
JAR = ROOT / "target/edgetrain.jar"
BIN = Path(sys.executable).parent                     # flower-superlink, flower-supernode, flwr beside this python
TRAIN_CSV = ROOT / "data/digits-train.csv"
TEST_CSV = ROOT / "data/digits-test.csv"
TOKEN = "fleet-test-token-0123456789abcdef"


def require_components():
    """Flower and the jar must be there; under CI a missing one fails the test (it never skips silently)."""
    missing = [str(p) for p in (BIN / "flower-superlink", BIN / "flower-supernode", BIN / "flwr", JAR) if not p.exists()]
    if shutil.which("java") is None:
        missing.append("java")
    if missing:
        msg = "fleet test needs " + ", ".join(missing) + " (pip install -r src/main/python/requirements.txt; mvn package)"
        if os.environ.get("CI") == "true":
            raise AssertionError(msg)
        import pytest
        pytest.skip(msg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, seconds: float = 60, proc: subprocess.Popen | None = None):
    end = time.time() + seconds
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args[:3]} exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port} after {seconds} s")


def split_csv(out: Path, classes) -> Path:
    """The training rows whose label is in `classes`: one member's non-IID share."""
    with open(TRAIN_CSV) as f, open(out, "w", newline="") as g:
        r, w = csv.reader(f), csv.writer(g)
        header = next(r)
        w.writerow(header)
        li = header.index("label")
        for row in r:
            if int(row[li]) in classes:
                w.writerow(row)
    return out


def split_rows(out: Path, k: int, n: int) -> Path:
    """Every n-th training row from row k: one member's share of the same distribution (IID)."""
    with open(TRAIN_CSV) as f, open(out, "w") as g:
        for i, line in enumerate(f):
            if i == 0 or (i - 1) % n == k:
                g.write(line)
    return out


def member_config(template: Path, out: Path, csv_path: Path, port: int, token_file: Path, extra: str = "") -> Path:
    lines = []
    for line in template.read_text().splitlines():
        key = line.split("=")[0].strip()
        if key == "path":
            line = f"path = {csv_path}"
        elif key == "port":
            line = f"port = {port}"
        elif key == "token_file":
            line = f"token_file = {token_file}"
        lines.append(line)
    out.write_text("\n".join(lines) + "\n" + extra)
    return out


class Fleet:
    """Daemons, a SuperLink and SuperNodes in `work`; stop() ends every process it started."""

    def __init__(self, work: Path, tls: bool = False, database: str | None = None):
        self.work = work
        self.database = database or str(work / "superlink.db")
        self.tls = tls
        self.procs: dict[str, subprocess.Popen] = {}
        self.token_file = work / "fleet.token"
        self.token_file.write_text(TOKEN + "\n")
        self.token_file.chmod(0o600)
        self.flwr_home = work / "flwr-home"
        self.flwr_home.mkdir(exist_ok=True)
        self.env = dict(os.environ, FLWR_HOME=str(self.flwr_home), PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",
                        PYTHONPATH=str(APP), PYTHONDONTWRITEBYTECODE="1")
        self.daemon_ports: dict[str, int] = {}
        self.daemon_cmds: dict[str, list] = {}
        self.link_port = None
        self.node_ports: list[int] = []
        self.certs = None

    def _start(self, name: str, cmd: list, log: Path) -> subprocess.Popen:
        f = open(log, "ab")
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env=self.env, cwd=self.work, start_new_session=True)
        self.procs[name] = p
        return p

    def start_daemon(self, name: str, csv_path: Path, extra: str = "", template: Path = ROOT / "examples/fleet-digits.conf"):
        port = free_port()
        cfg = member_config(template, self.work / f"{name}.conf", csv_path, port, self.token_file, extra)
        cmd = ["java", "-Xmx64m", "-XX:+UseSerialGC", "-jar", str(JAR), "run", "--config", str(cfg),
               "--state-dir", str(self.work / name), "--kernels", "java"]
        self.daemon_ports[name] = port
        self.daemon_cmds[name] = cmd
        p = self._start(name, cmd, self.work / f"{name}.log")
        wait_port(port, 60, p)
        return port

    def restart_daemon(self, name: str):
        p = self._start(name, self.daemon_cmds[name], self.work / f"{name}.log")
        wait_port(self.daemon_ports[name], 60, p)

    def daemon_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.daemon_ports[name]}"

    def start_superlink(self):
        self.link_port = free_port()
        # dependencies are installed beforehand (requirements.txt): a board installs nothing at run time
        cmd = [str(BIN / "flower-superlink"), "--port", str(self.link_port), "--database", self.database,
               "--disable-runtime-dependency-installation"]
        if self.tls:
            self.certs = make_certs(self.work / "certs")
            cmd += ["--ssl-ca-certfile", str(self.certs["ca"]), "--ssl-certfile", str(self.certs["cert"]),
                    "--ssl-keyfile", str(self.certs["key"])]
        else:
            cmd += ["--insecure"]
        p = self._start("superlink", cmd, self.work / "superlink.log")
        wait_port(self.link_port, 90, p)
        conn = [f'address = "127.0.0.1:{self.link_port}"']
        conn.append(f'root-certificates = "{self.certs["ca"]}"' if self.tls else "insecure = true")
        (self.flwr_home / "config.toml").write_text('[superlink]\ndefault = "local"\n\n[superlink.local]\n' + "\n".join(conn) + "\n")

    def start_supernode(self, name: str, daemon: str):
        port = free_port()
        self.node_ports.append(port)
        node_config = f"daemon-url='{self.daemon_url(daemon)}' token-file='{self.token_file}'"
        cmd = [str(BIN / "flower-supernode"), "--superlink", f"127.0.0.1:{self.link_port}", "--port", str(port),
               "--node-config", node_config]
        cmd += ["--root-certificates", str(self.certs["ca"])] if self.tls else ["--insecure"]
        self._start(name, cmd, self.work / f"{name}.log")
        self.daemon_cmds[name] = cmd
        return port

    def restart_supernode(self, name: str):
        self._start(name, self.daemon_cmds[name], self.work / f"{name}.log")

    def kill(self, name: str, sig=signal.SIGKILL):
        p = self.procs.pop(name)
        try:
            os.killpg(p.pid, sig)  # its own session: the SuperNode's ClientApp process goes with it
        except ProcessLookupError:
            pass
        p.wait(30)

    def run(self, run_config: dict, timeout: float = 900) -> subprocess.CompletedProcess:
        """`flwr run` in deployment mode, its output streamed to flwr-run.log (tests watch it live); returns when the
        run has finished (the ServerApp writes the history last)."""
        history = Path(run_config["history"])
        cfg = " ".join(f"{k}={_toml(v)}" for k, v in run_config.items())
        cmd = [str(BIN / "flwr"), "run", str(APP), "local", "--run-config", cfg, "--stream"]
        log = self.work / "flwr-run.log"
        with open(log, "wb") as f:
            p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env=self.env, cwd=self.work, start_new_session=True)
            self.procs["flwr-run"] = p
            try:
                rc = p.wait(timeout)
            finally:
                self.procs.pop("flwr-run", None)
        end = time.time() + 60
        while not history.exists() and time.time() < end:
            time.sleep(0.5)
        out = log.read_text(errors="replace")
        return subprocess.CompletedProcess(cmd, rc, out, "")

    def stop(self):
        for name in list(self.procs):
            p = self.procs[name]
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for name, p in list(self.procs.items()):
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(10)
        self.procs.clear()
        self._reap_orphans()

    def _reap_orphans(self):
        """Flower's SuperExec, ServerApp and ClientApp processes can outlive their parents; each names one of our
        ports on its command line, so exactly ours are found and ended."""
        marks = [f"127.0.0.1:{p}".encode() for p in [self.link_port, *self.node_ports] if p]
        for d in Path("/proc").iterdir():
            if not d.name.isdigit() or int(d.name) == os.getpid():
                continue
            try:
                cmd = (d / "cmdline").read_bytes()
            except OSError:
                continue
            if str(BIN).encode() in cmd and any(m in cmd for m in marks):
                try:
                    os.kill(int(d.name), signal.SIGKILL)
                except ProcessLookupError:
                    pass


def _toml(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return '"' + str(v) + '"'


def make_certs(d: Path) -> dict:
    """A throwaway CA and a server certificate for 127.0.0.1/localhost (cryptography package)."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    d.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "edgetrain test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = {"ca": d / "ca.crt", "cert": d / "server.pem", "key": d / "server.key"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return paths
