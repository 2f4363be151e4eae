# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SNMP seam: read one switch's MIB tables (read-only), decode them into the usual records.

SNMPv2c (community) and SNMPv3 USM (authNoPriv / authPriv; SHA-2 and AES), with the secrets read
from environment variables named in the configuration (never from hostvars). Tables are walked
with GETBULK, several columns per request (``max_repetitions`` rows each), each walk bounded in
rows and time and guarded against agents that loop (an OID that does not increase ends that
column's walk). ``parsers.mib`` decodes the result; nothing here interprets a table.

Library: pysnmp 7 (asyncio). All SNMP I/O of a process runs in ONE asyncio event loop (a daemon
thread started on first use and started anew after a fork, so every poll process of
``_procpoll`` has its own), with a semaphore bounding how many switches are walked at once. The
poll's worker threads only wait for their switch's result; no thread sends or reads a packet.
SNMPv2c uses pysnmp's light v1arch dispatcher (half the CPU per variable of the v3 engine);
SNMPv3 needs the full engine (USM), one per distinct credential set.

``Client`` is the protocol seam: ``PysnmpClient`` talks to a real agent, ``ReplayClient`` answers
from a recorded walk with real GETBULK semantics and is what unit tests use to play misbehaving
agents (loops, duplicates, noSuchObject, tables that change while they are walked).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple, TypeVar

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import mib
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import (
    Credentials,
    Target,
    redact,
)
from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError, SwitchData

try:
    from pyasn1.type import univ as _univ
    from pysnmp.hlapi.v1arch.asyncio import CommunityData as _V1Community
    from pysnmp.hlapi.v1arch.asyncio import SnmpDispatcher as _V1Dispatcher
    from pysnmp.hlapi.v1arch.asyncio import UdpTransportTarget as _V1Udp
    from pysnmp.hlapi.v1arch.asyncio import bulk_cmd as _v1_bulk
    from pysnmp.hlapi.v1arch.asyncio import get_cmd as _v1_get
    from pysnmp.hlapi.v3arch import asyncio as _v3
    from pysnmp.proto import rfc1905 as _rfc1905

    HAS_PYSNMP = True
    PYSNMP_IMPORT_ERROR: Optional[str] = None
except ImportError as _e:  # pragma: no cover - exercised by the sanity import test
    HAS_PYSNMP = False
    PYSNMP_IMPORT_ERROR = str(_e)

T = TypeVar("T")
Oid = mib.Oid
GENERIC_PLATFORM = mib.GENERIC_PLATFORM

NO_ANSWER = "no answer: wrong community/credentials, ACL, or agent down"

AUTH_PROTOCOLS = ("md5", "sha", "sha224", "sha256", "sha384", "sha512")
PRIV_PROTOCOLS = ("des", "aes", "aes192", "aes256", "aes192b", "aes256b")
VERSIONS = ("2c", "3")


class _End:
    """endOfMibView / noSuchObject / noSuchInstance: there is no value here."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return self.what


END_OF_MIB = _End("endOfMibView")
NO_SUCH_OBJECT = _End("noSuchObject")
NO_SUCH_INSTANCE = _End("noSuchInstance")


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class SnmpCredentials(Credentials):
    """SNMP credentials (a ``Credentials``, so that every ``redact`` of the poll also hides these).

    ``username``/``password`` stay the CLI login of ``backend: auto`` (isolation); the SNMP
    secrets are ``community``, ``auth_key`` and ``priv_key``.
    """

    version: str = "2c"
    community: Optional[str] = field(default=None, repr=False)
    user: str = ""
    auth_protocol: str = "sha256"
    auth_key: Optional[str] = field(default=None, repr=False)
    priv_protocol: str = "aes"
    priv_key: Optional[str] = field(default=None, repr=False)
    context: str = ""

    def __repr__(self) -> str:
        return f"SnmpCredentials(version={self.version!r}, user={self.user!r}, community=***, keys=***)"

    @property
    def secrets(self) -> List[str]:
        return [s for s in (self.password, self.secret, self.community, self.auth_key, self.priv_key) if s]

    @property
    def usable(self) -> bool:
        """Whether these credentials can reach an agent (a community, or a v3 user)."""
        if self.version == "3":
            return bool(self.user)
        return bool(self.community)

    @property
    def security_level(self) -> str:
        if self.version != "3":
            return "community"
        if not self.auth_key:
            return "noAuthNoPriv"
        return "authPriv" if self.priv_key else "authNoPriv"


@dataclass(frozen=True)
class SnmpOptions:
    """How to walk: UDP port, per-request timeout and retries, GETBULK size, bounds."""

    port: int = 161
    timeout: float = 2.0
    retries: int = 1
    max_repetitions: int = 10
    columns_per_request: int = 6
    max_rows: int = 100_000  # per column: a table beyond this is truncated with a warning
    deadline: float = 300.0  # seconds for the whole switch
    vlan_contexts: bool = True  # Cisco: per-VLAN BRIDGE-MIB when there is no Q-BRIDGE FDB
    max_vlans: int = 256
    vlan_concurrency: int = 4
    concurrency: int = 64  # switches walked at once per event loop (the poll's threads bound it too)


@dataclass(frozen=True)
class SnmpTarget(Target):
    """A switch read over SNMP (``backend: snmp``, or ``auto`` with SNMP credentials set)."""

    snmp: SnmpOptions = field(default_factory=SnmpOptions)
    config_error: Optional[str] = None  # settings that cannot work: the switch fails with this, alone

    @property
    def snmp_credentials(self) -> SnmpCredentials:
        c = self.credentials
        if not isinstance(c, SnmpCredentials):
            raise DeviceError(self.name, "SNMP target without SNMP credentials")
        return c


def check_credentials(creds: SnmpCredentials, where: str, presence: bool = True) -> None:
    """Raise ``ValueError`` naming ``where`` when the settings cannot work (``presence``: also when a
    secret or the v3 user the settings need is missing from the environment)."""
    if creds.version not in VERSIONS:
        raise ValueError(f"{where}: snmp version must be one of {', '.join(VERSIONS)}, got {creds.version!r}")
    if creds.version == "3":
        if presence and not creds.user:
            raise ValueError(f"{where}: SNMPv3 needs a user (snmp.user or the variable named by snmp.user_env)")
        if creds.auth_protocol not in AUTH_PROTOCOLS:
            raise ValueError(f"{where}: snmp auth_protocol must be one of {', '.join(AUTH_PROTOCOLS)}")
        if creds.priv_protocol not in PRIV_PROTOCOLS:
            raise ValueError(f"{where}: snmp priv_protocol must be one of {', '.join(PRIV_PROTOCOLS)}")
        if presence and creds.priv_key and not creds.auth_key:
            raise ValueError(f"{where}: SNMPv3 privacy needs an authentication key too (authPriv)")
        for label, key in (("auth", creds.auth_key), ("priv", creds.priv_key)):
            if key is not None and len(key) < 8:
                raise ValueError(f"{where}: the SNMPv3 {label} key must have at least 8 characters (RFC 3414)")


def check_options(opts: SnmpOptions, where: str) -> None:
    if not 1 <= opts.port <= 65535:
        raise ValueError(f"{where}: snmp port out of range: {opts.port}")
    if opts.timeout <= 0 or opts.deadline <= 0:
        raise ValueError(f"{where}: snmp timeout and deadline must be positive")
    if opts.retries < 0:
        raise ValueError(f"{where}: snmp retries must be 0 or more")
    if not 1 <= opts.max_repetitions <= 1000:
        raise ValueError(f"{where}: snmp max_repetitions must be 1..1000, got {opts.max_repetitions}")
    if opts.max_rows < 1 or opts.max_vlans < 0:
        raise ValueError(f"{where}: snmp max_rows must be at least 1 and max_vlans 0 or more")


# The ``snmp`` option (module and inventory plugin, and its per-switch override): key -> default.
# Secrets are named by environment variable, never given as values.
SNMP_OPTION_DEFAULTS: Dict[str, Any] = {
    "version": None,  # None: "3" when a v3 user is set, else "2c"
    "community_env": "CAMGUARD_SNMP_COMMUNITY",
    "user": None,
    "user_env": "CAMGUARD_SNMP_USER",
    "auth_protocol": "sha256",
    "auth_key_env": "CAMGUARD_SNMP_AUTH_KEY",
    "priv_protocol": "aes",
    "priv_key_env": "CAMGUARD_SNMP_PRIV_KEY",
    "context": "",
    "port": 161,
    "timeout": 2.0,
    "retries": 1,
    "max_repetitions": 10,
    "max_rows": 100_000,
    "deadline": 300.0,
    "vlan_contexts": True,
    "max_vlans": 256,
}
BACKENDS = ("snmp", "auto")  # the SNMP backends, besides the CLI ones of the platform table


def _env(name: Any, environ: Mapping[str, str]) -> Optional[str]:
    if not name:
        return None
    v = environ.get(str(name))
    return v if v else None


def snmp_settings(
    config: Optional[Mapping[str, Any]],
    defaults: Optional[Mapping[str, Any]] = None,
    where: str = "snmp",
    environ: Optional[Mapping[str, str]] = None,
    username: str = "",
    password: Optional[str] = None,
    presence: bool = True,
) -> Tuple[SnmpCredentials, SnmpOptions]:
    """The credentials and walk options from an ``snmp`` mapping (over ``defaults``, over the built-in
    defaults). Secrets come from the environment variables the mapping names. Raises ``ValueError``
    naming ``where`` and the key for an unknown key or a bad value."""
    env = os.environ if environ is None else environ
    merged: Dict[str, Any] = dict(SNMP_OPTION_DEFAULTS)
    for src, label in ((defaults, "snmp"), (config, where)):
        if src is None:
            continue
        if not isinstance(src, Mapping):
            raise ValueError(f"{label}: expected a mapping, got {type(src).__name__}")
        unknown = sorted(set(src) - set(SNMP_OPTION_DEFAULTS))
        if unknown:
            raise ValueError(
                f"{label}: unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(SNMP_OPTION_DEFAULTS))}"
            )
        merged.update({k: v for k, v in src.items() if v is not None})
    user = str(merged["user"] or _env(merged["user_env"], env) or "")
    version = str(merged["version"] or ("3" if user else "2c"))
    if version in ("2", "v2c", "v2"):
        version = "2c"
    if version in ("v3",):
        version = "3"
    try:
        creds = SnmpCredentials(
            username=username,
            password=password,
            version=version,
            community=_env(merged["community_env"], env),
            user=user,
            auth_protocol=str(merged["auth_protocol"]).lower(),
            auth_key=_env(merged["auth_key_env"], env),
            priv_protocol=str(merged["priv_protocol"]).lower(),
            priv_key=_env(merged["priv_key_env"], env),
            context=str(merged["context"] or ""),
        )
        opts = SnmpOptions(
            port=int(merged["port"]),
            timeout=float(merged["timeout"]),
            retries=int(merged["retries"]),
            max_repetitions=int(merged["max_repetitions"]),
            max_rows=int(merged["max_rows"]),
            deadline=float(merged["deadline"]),
            vlan_contexts=bool(merged["vlan_contexts"]),
            max_vlans=int(merged["max_vlans"]),
        )
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}: {e}") from None
    check_credentials(creds, where, presence)
    check_options(opts, where)
    return creds, opts


def snmp_target(base: Target, creds: SnmpCredentials, opts: SnmpOptions) -> SnmpTarget:
    """``base`` (a CLI target or a bare name/host) read over SNMP."""
    return SnmpTarget(
        name=base.name,
        host=base.host,
        platform=base.platform,
        port=base.port,
        credentials=creds,
        connect_timeout=base.connect_timeout,
        command_timeout=base.command_timeout,
        host_key_checking=base.host_key_checking,
        known_hosts_file=base.known_hosts_file,
        backend="snmp",
        snmp=opts,
    )


def discovery_target(
    base: Target,
    config: Optional[Mapping[str, Any]],
    defaults: Optional[Mapping[str, Any]] = None,
    where: str = "snmp",
    environ: Optional[Mapping[str, str]] = None,
) -> Target:
    """The target discovery polls: ``base`` itself for a CLI backend; over SNMP for ``backend: snmp``;
    for ``backend: auto`` over SNMP when SNMP credentials are set, else ``base`` with its CLI backend."""
    if base.backend not in BACKENDS:
        return base
    try:
        creds, opts = snmp_settings(
            config, defaults, where, environ, base.credentials.username, base.credentials.password
        )
    except ValueError as e:  # e.g. a v3 user missing from the environment: this switch fails, not the inventory
        bad = snmp_target(base, SnmpCredentials(username=base.credentials.username), SnmpOptions())
        return SnmpTarget(**{**{f: getattr(bad, f) for f in bad.__dataclass_fields__}, "config_error": str(e)})
    if base.backend == "snmp" or creds.usable:
        return snmp_target(base, creds, opts)
    return Target(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, "backend": None})


def isolation_backend(platform_key: str, backend: Optional[str], default_backend: Optional[str]) -> Optional[str]:
    """The backend a CLI session (isolation) uses: the SNMP backends only read, so their switches are
    changed with the platform's default CLI backend; a switch with no CLI platform has none (``snmp``)."""
    if backend in BACKENDS:
        return default_backend if platform_key != mib.GENERIC_PLATFORM else "snmp"
    return backend or default_backend


# --------------------------------------------------------------------------- the protocol seam


class AgentError(Exception):
    """The agent answered with an error status (tooBig, genErr, authorizationError, ...)."""

    def __init__(self, status: str, too_big: bool = False) -> None:
        super().__init__(status)
        self.status = status
        self.too_big = too_big


class NoAnswer(Exception):
    """No (valid) answer within timeout x (retries + 1), or the agent refused the credentials."""


VarBind = Tuple[Oid, Any]


class Client:
    """One agent (one switch). ``context`` selects a community@vlan / SNMPv3 context."""

    async def get(self, oids: Sequence[Oid], context: str = "") -> List[VarBind]:
        raise NotImplementedError

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int, context: str = "") -> List[VarBind]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class ReplayClient(Client):
    """Answers GET and GETBULK from a recorded walk (``{context: [(oid, value), ...]}``, context "" the
    default), like an agent would: sorted, endOfMibView past the end, ``max_varbinds`` per response.

    ``mutate(request_number, table)`` may change the table between requests (a table that changes
    while it is walked); ``answer`` may replace a response (a looping or lying agent).
    """

    def __init__(
        self,
        walks: Mapping[str, Sequence[VarBind]],
        max_varbinds: int = 64,
        mutate: Optional[Callable[[int, List[VarBind]], None]] = None,
        answer: Optional[Callable[[int, Sequence[Oid], List[VarBind]], List[VarBind]]] = None,
        silent: bool = False,
    ) -> None:
        self.tables: Dict[str, List[VarBind]] = {k: sorted(dict(v).items()) for k, v in walks.items()}
        self.max_varbinds = max_varbinds
        self.mutate = mutate
        self.answer = answer
        self.silent = silent
        self.requests = 0

    def _table(self, context: str) -> List[VarBind]:
        if self.silent or context not in self.tables:
            raise NoAnswer("timeout")
        self.requests += 1
        table = self.tables[context]
        if self.mutate is not None:
            self.mutate(self.requests, table)
            table.sort()
        return table

    async def get(self, oids: Sequence[Oid], context: str = "") -> List[VarBind]:
        table = dict(self._table(context))
        return [(o, table.get(o, NO_SUCH_OBJECT)) for o in oids]

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int, context: str = "") -> List[VarBind]:
        table = self._table(context)
        keys = [k for k, _v in table]
        out: List[VarBind] = []
        cursors = list(oids)
        for _r in range(max_repetitions):
            for c, o in enumerate(cursors):
                if len(out) >= self.max_varbinds:
                    break
                i = bisect.bisect_right(keys, o)
                if i < len(keys):
                    out.append(table[i])
                    cursors[c] = keys[i]
                else:
                    out.append((o, END_OF_MIB))
        if self.answer is not None:
            out = self.answer(self.requests, oids, out)
        return out


def _plain(v: Any) -> Any:
    """A pysnmp value as a plain Python value (see ``parsers.mib``)."""
    if isinstance(v, _univ.Null):
        if isinstance(v, _rfc1905.EndOfMibView):
            return END_OF_MIB
        if isinstance(v, _rfc1905.NoSuchInstance):
            return NO_SUCH_INSTANCE
        return NO_SUCH_OBJECT
    if isinstance(v, _univ.Integer):
        return int(v)
    if isinstance(v, _univ.OctetString):
        return v.asOctets()
    if isinstance(v, _univ.ObjectIdentifier):
        return tuple(v)
    return NO_SUCH_OBJECT


_AUTH_MAP = {
    "md5": "usmHMACMD5AuthProtocol",
    "sha": "usmHMACSHAAuthProtocol",
    "sha224": "usmHMAC128SHA224AuthProtocol",
    "sha256": "usmHMAC192SHA256AuthProtocol",
    "sha384": "usmHMAC256SHA384AuthProtocol",
    "sha512": "usmHMAC384SHA512AuthProtocol",
}
_PRIV_MAP = {
    "des": "usmDESPrivProtocol",
    "aes": "usmAesCfb128Protocol",
    "aes192": "usmAesCfb192Protocol",
    "aes256": "usmAesCfb256Protocol",
    "aes192b": "usmAesBlumenthalCfb192Protocol",
    "aes256b": "usmAesBlumenthalCfb256Protocol",
}


class _Shared:
    """Per event loop: one v1arch dispatcher and one v3 engine per credential set."""

    def __init__(self) -> None:
        self.dispatcher: Any = None
        self.engines: Dict[Tuple[Any, ...], Any] = {}
        self.semaphore: Optional[asyncio.Semaphore] = None


_SHARED: Dict[int, _Shared] = {}  # id(loop) -> shared objects


def _shared() -> _Shared:
    loop = asyncio.get_running_loop()
    s = _SHARED.get(id(loop))
    if s is None:
        s = _SHARED[id(loop)] = _Shared()
    return s


class PysnmpClient(Client):
    """A real agent through pysnmp 7's asyncio API."""

    def __init__(self, target: SnmpTarget) -> None:
        if not HAS_PYSNMP:
            raise DeviceError(target.name, f"pysnmp is required for the SNMP backend: {PYSNMP_IMPORT_ERROR}")
        self.target = target
        self.creds = target.snmp_credentials
        self.opts = target.snmp
        self._transport: Dict[str, Any] = {}

    async def _udp(self, v3: bool) -> Any:
        key = "v3" if v3 else "v1"
        t = self._transport.get(key)
        if t is None:
            cls = _v3.UdpTransportTarget if v3 else _V1Udp
            t = await cls.create(
                (self.target.host, self.opts.port), timeout=self.opts.timeout, retries=self.opts.retries
            )
            self._transport[key] = t
        return t

    def _engine(self) -> Any:
        c = self.creds
        key = (c.user, c.auth_protocol, c.auth_key, c.priv_protocol, c.priv_key)
        sh = _shared()
        eng = sh.engines.get(key)
        if eng is None:
            eng = sh.engines[key] = _v3.SnmpEngine()
        return eng

    def _usm(self) -> Any:
        c = self.creds
        kwargs: Dict[str, Any] = {}
        if c.auth_key:
            kwargs["authKey"] = c.auth_key
            kwargs["authProtocol"] = getattr(_v3, _AUTH_MAP[c.auth_protocol])
            if c.priv_key:
                kwargs["privKey"] = c.priv_key
                kwargs["privProtocol"] = getattr(_v3, _PRIV_MAP[c.priv_protocol])
        # authNoPriv / noAuthNoPriv only when the configuration asks for them (old agents); docs say why not
        return _v3.UsmUserData(c.user, **kwargs)  # noqa: S509

    async def _request(self, bulk: bool, oids: Sequence[Oid], max_rep: int, context: str) -> List[VarBind]:
        c = self.creds
        varbinds = [(_univ.ObjectIdentifier(o), _univ.Null("")) for o in oids]
        if c.version == "3":
            ctx = _v3.ContextData(contextName=context or c.context)
            args = (self._engine(), self._usm(), await self._udp(True), ctx)
            if bulk:
                res = await _v3.bulk_cmd(*args, 0, max_rep, *varbinds, lookupMib=False)
            else:
                res = await _v3.get_cmd(*args, *varbinds, lookupMib=False)
        else:
            sh = _shared()
            if sh.dispatcher is None:
                sh.dispatcher = _V1Dispatcher()
            community = f"{c.community}@{context}" if context else str(c.community)
            auth = _V1Community(community, mpModel=1)  # noqa: S508 - v2c is asked for by the configuration
            udp = await self._udp(False)
            if bulk:
                res = await _v1_bulk(sh.dispatcher, auth, udp, 0, max_rep, *varbinds, lookupMib=False)
            else:
                res = await _v1_get(sh.dispatcher, auth, udp, *varbinds, lookupMib=False)
        error_indication, error_status, _error_index, var_binds = res
        if error_indication:
            raise NoAnswer(str(error_indication))
        if error_status and int(error_status):
            status = error_status.prettyPrint() if hasattr(error_status, "prettyPrint") else str(error_status)
            raise AgentError(status, too_big=int(error_status) == 1)
        out: List[VarBind] = []
        for name, value in var_binds:
            out.append((tuple(name), _plain(value)))
        return out

    async def get(self, oids: Sequence[Oid], context: str = "") -> List[VarBind]:
        return await self._request(False, oids, 0, context)

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int, context: str = "") -> List[VarBind]:
        return await self._request(True, oids, max_repetitions, context)

    def close(self) -> None:
        for t in self._transport.values():
            closer = getattr(t, "close", None)
            if callable(closer):
                with contextlib.suppress(Exception):  # closing must not mask the result
                    closer()
        self._transport.clear()


# --------------------------------------------------------------------------- walking


@dataclass
class WalkResult:
    columns: Dict[str, List[mib.Row]] = field(default_factory=dict)
    served: Set[str] = field(default_factory=set)
    warnings: List[str] = field(default_factory=list)
    requests: int = 0


def _under(o: Oid, root: Oid) -> bool:
    return len(o) > len(root) and o[: len(root)] == root


async def walk_columns(
    client: Client,
    columns: Mapping[str, Oid],
    opts: SnmpOptions,
    deadline: float,
    context: str = "",
    clock: Callable[[], float] = time.monotonic,
) -> WalkResult:
    """Walk every column with GETBULK, several columns per request. Always ends: a column ends at
    the end of its subtree, at endOfMibView, at an OID that does not increase (an agent that loops
    or repeats itself: a warning), at ``max_rows`` rows (a warning) or at the deadline (an error)."""
    res = WalkResult(columns={name: [] for name in columns})
    cursor: Dict[str, Oid] = dict(columns)
    active = list(columns)
    reps = opts.max_repetitions
    while active:
        if clock() > deadline:
            raise NoAnswer(f"deadline of {opts.deadline:g}s passed while walking {active[0]}")
        batch = active[: max(1, opts.columns_per_request)]
        try:
            vbs = await client.bulk([cursor[n] for n in batch], reps, context)
        except AgentError as e:
            if e.too_big and (reps > 1 or len(batch) > 1):
                reps = max(1, reps // 2)
                if reps == 1 and len(batch) > 1:
                    opts = SnmpOptions(**{**opts.__dict__, "columns_per_request": max(1, len(batch) // 2)})
                continue
            res.warnings.append(f"the agent refused {batch[0]}: {e.status}")
            for n in batch:
                active.remove(n)
            continue
        res.requests += 1
        done: Set[str] = set()
        progressed = False
        for i, (o, v) in enumerate(vbs):
            name = batch[i % len(batch)]
            if name in done:
                continue
            root = columns[name]
            if v is END_OF_MIB or not isinstance(o, tuple) or not _under(o, root):
                done.add(name)
                continue
            if o <= cursor[name]:
                res.warnings.append(f"{name}: the agent returned a non-increasing OID; the walk of this column stopped")
                done.add(name)
                continue
            cursor[name] = o
            progressed = True
            if isinstance(v, _End):
                continue  # noSuchObject/noSuchInstance inside a walk: no value here
            rows = res.columns[name]
            rows.append((o[len(root) :], v))
            res.served.add(name)
            if len(rows) >= opts.max_rows:
                res.warnings.append(f"{name}: more than {opts.max_rows} rows; the rest of the table is not read")
                done.add(name)
        if not vbs or not progressed:
            done.update(batch)
        active = [n for n in active if n not in done]
    return res


# --------------------------------------------------------------------------- one switch


def _describe(target: SnmpTarget) -> str:
    c = target.snmp_credentials
    v = "SNMPv2c" if c.version == "2c" else f"SNMPv3 {c.security_level}"
    return f"{target.host}:{target.snmp.port} ({v}, {target.snmp.timeout:g}s x {target.snmp.retries + 1} tries)"


async def collect_async(
    target: SnmpTarget,
    getters: Sequence[str] = GETTERS,
    client: Optional[Client] = None,
    clock: Callable[[], float] = time.monotonic,
) -> SwitchData:
    """Read and decode one switch. Every failure is a ``DeviceError`` naming the switch, without secrets."""
    opts = target.snmp
    own_client = client is None
    cl = client if client is not None else PysnmpClient(target)
    secrets = target.credentials.secrets
    deadline = clock() + opts.deadline
    try:
        try:
            first = await cl.get(list(mib.SCALARS.values()))
        except NoAnswer as e:
            raise DeviceError(target.name, redact(f"{NO_ANSWER} ({_describe(target)}: {e})", secrets)) from None
        except AgentError as e:
            raise DeviceError(
                target.name, redact(f"the agent refused the first request: {e.status}", secrets)
            ) from None
        by_oid = {o: v for o, v in first}
        scalars = {k: by_oid.get(o) for k, o in mib.SCALARS.items() if not isinstance(by_oid.get(o), _End)}
        cisco = mib.is_cisco(scalars.get("sysObjectID"))
        names = mib.columns_for(getters, cisco)
        try:
            res = await walk_columns(cl, {n: mib.COLUMNS[n] for n in names}, opts, deadline, clock=clock)
        except NoAnswer as e:
            raise DeviceError(target.name, redact(f"the agent stopped answering: {e}", secrets)) from None
        vlan_walks: Optional[Dict[int, mib.Walk]] = None
        warnings = list(res.warnings)
        if cisco and "mac_table" in getters and opts.vlan_contexts and not res.columns.get("dot1qTpFdbPort"):
            vlans = mib.cisco_vlans(res.columns, opts.max_vlans)
            if vlans:
                vlan_walks, more = await _walk_vlan_contexts(cl, target, vlans, deadline, clock)
                warnings.extend(more)
        dec = mib.decode_switch(
            target.name,
            target.platform,
            scalars,
            res.columns,
            getters,
            vlan_walks=vlan_walks,
            served=res.served,
            max_rows=opts.max_rows,
        )
    finally:
        if own_client:
            cl.close()
    data = dec.data
    data.warnings[:0] = [f"{target.name}: snmp: {w}" for w in warnings]
    data.warnings = [redact(w, secrets) for w in data.warnings]
    return data


async def _walk_vlan_contexts(
    cl: Client, target: SnmpTarget, vlans: Sequence[int], deadline: float, clock: Callable[[], float]
) -> Tuple[Dict[int, mib.Walk], List[str]]:
    """Cisco: the BRIDGE-MIB of every VLAN, through ``community@vlan`` (v2c) or context ``vlan-N`` (v3)."""
    creds = target.snmp_credentials
    sem = asyncio.Semaphore(max(1, target.snmp.vlan_concurrency))
    cols = {n: mib.COLUMNS[n] for n in mib.VLAN_CONTEXT_COLUMNS}
    out: Dict[int, mib.Walk] = {}
    warnings: List[str] = []

    async def one(vlan: int) -> None:
        ctx = f"vlan-{vlan}" if creds.version == "3" else str(vlan)
        async with sem:
            try:
                r = await walk_columns(cl, cols, target.snmp, deadline, context=ctx, clock=clock)
            except (NoAnswer, AgentError) as e:
                warnings.append(f"VLAN {vlan} context did not answer ({e}); its MAC entries are missing")
                return
        out[vlan] = r.columns
        warnings.extend(f"VLAN {vlan}: {w}" for w in r.warnings)

    await asyncio.gather(*(one(v) for v in vlans))
    return out, warnings


# --------------------------------------------------------------------------- one loop per process


class _Loop:
    """The process's SNMP event loop, in a daemon thread; made anew in a forked child."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = -1
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._sem: Optional[asyncio.Semaphore] = None

    def loop(self, concurrency: int) -> Tuple[asyncio.AbstractEventLoop, asyncio.Semaphore]:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                t = threading.Thread(target=loop.run_forever, name="camguard-snmp", daemon=True)
                t.start()
                self._loop, self._pid = loop, os.getpid()
                self._sem = None
            if self._sem is None:
                self._sem = asyncio.Semaphore(max(1, concurrency))
            return self._loop, self._sem

    def run(self, make: Callable[[], Awaitable[T]], concurrency: int, timeout: float) -> T:
        loop, sem = self.loop(concurrency)

        async def guarded() -> T:
            async with sem:
                return await make()

        fut = asyncio.run_coroutine_threadsafe(guarded(), loop)
        return fut.result(timeout)


LOOP = _Loop()


def collect_target(target: SnmpTarget, getters: Sequence[str] = GETTERS) -> Tuple[SwitchData, float]:
    """Collect one switch on the process's SNMP loop (blocking the calling thread only)."""
    started = time.monotonic()
    if target.config_error:
        raise DeviceError(target.name, target.config_error)
    if not target.snmp_credentials.usable:
        what = "community" if target.snmp_credentials.version == "2c" else "SNMPv3 user"
        raise DeviceError(
            target.name, f"no SNMP {what}: the environment variable named in the snmp settings is not set"
        )
    try:
        data = LOOP.run(
            lambda: collect_async(target, getters),
            target.snmp.concurrency,
            target.snmp.deadline + target.snmp.timeout * 4,
        )
    except DeviceError:
        raise
    except TimeoutError:
        raise DeviceError(target.name, f"{NO_ANSWER} (deadline of {target.snmp.deadline:g}s passed)") from None
    except Exception as exc:  # a library error must name the switch and never carry a secret
        raise DeviceError(
            target.name, redact(f"SNMP failed: {type(exc).__name__}: {exc}", target.credentials.secrets)
        ) from None
    return data, time.monotonic() - started


__all__ = [
    "AUTH_PROTOCOLS",
    "BACKENDS",
    "GENERIC_PLATFORM",
    "NO_ANSWER",
    "PRIV_PROTOCOLS",
    "SNMP_OPTION_DEFAULTS",
    "Client",
    "PysnmpClient",
    "ReplayClient",
    "SnmpCredentials",
    "SnmpOptions",
    "SnmpTarget",
    "check_credentials",
    "check_options",
    "collect_async",
    "collect_target",
    "discovery_target",
    "isolation_backend",
    "snmp_settings",
    "snmp_target",
    "walk_columns",
]
