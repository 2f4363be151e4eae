# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX / Automation Platform artefacts: the custom credential type and the execution environment.

* ``awx/credential_type.{yml,json}`` is checked against the rules AWX applies when the type is
  created (the JSON schemas of ``CredentialTypeInputField`` / ``CredentialTypeInjectorField`` and
  their extra checks), then rendered the way AWX renders it for a job (files in the private data
  dir, env vars, extra vars) and fed to the real ``mac_table`` inventory plugin, with switch I/O
  replaced at the one seam (``_collect.open_transport``).
* ``execution-environment.yml`` is validated with ansible-builder's own code, and
  ``ansible-builder create`` is run on it; the galaxy stage's install command and the builder
  stage's introspection are then run on the produced context, offline, as the image build would.
* The claim in docs/awx.md about ``ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED`` is checked with the
  real ``ansible-inventory``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CRED_YML = REPO / "awx" / "credential_type.yml"
CRED_JSON = REPO / "awx" / "credential_type.json"
EE_FILE = REPO / "execution-environment.yml"
EXAMPLE_PROJECT = REPO / "docs" / "examples" / "awx-project"
EXAMPLE_INVENTORY = EXAMPLE_PROJECT / "inventories" / "site.mac_table.yml"
BIN = Path(sys.executable).parent

SECRET_PASSWORD = "Sw1tch-Pa55-never-in-output"
FAKE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAfake\n-----END OPENSSH PRIVATE KEY-----"
KNOWN_HOSTS = "10.20.1.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForTheTest\n"

# ---------------------------------------------------------------- AWX's rules for credential types
# From awx/main/fields.py (CredentialTypeInputField, CredentialTypeInjectorField) and
# awx/main/constants.py (ENV_BLOCKLIST); custom types may only be of kind cloud or net.
AWX_FIELD_KEYS = {
    "id",
    "label",
    "type",
    "format",
    "choices",
    "help_text",
    "multiline",
    "secret",
    "ask_at_runtime",
    "default",
}
AWX_STRING_ONLY = ("choices", "multiline", "format", "secret")
AWX_NAME = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")
AWX_FILE_KEY = re.compile(r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$")
AWX_ENV_BLOCKLIST = {
    "VIRTUAL_ENV",
    "PATH",
    "PYTHONPATH",
    "JOB_ID",
    "INVENTORY_ID",
    "INVENTORY_SOURCE_ID",
    "INVENTORY_UPDATE_ID",
    "AD_HOC_COMMAND_ID",
    "REST_API_URL",
    "REST_API_TOKEN",
    "MAX_EVENT_RES",
    "CALLBACK_QUEUE",
    "CALLBACK_CONNECTION",
    "CACHE",
    "JOB_CALLBACK_DEBUG",
    "INVENTORY_HOSTVARS",
    "AWX_HOST",
    "PROJECT_REVISION",
    "SUPERVISOR_CONFIG_PATH",
}


def awx_problems(ct: Mapping[str, Any]) -> List[str]:
    """Every reason AWX would refuse this credential type (empty list: AWX accepts it)."""
    from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    errors: List[str] = []
    if not isinstance(ct.get("name"), str) or not ct["name"]:
        errors.append("name: a non-empty string is required")
    if ct.get("kind") not in ("cloud", "net"):
        errors.append(f"kind: must be cloud or net for a custom type, not {ct.get('kind')!r}")
    unknown = set(ct) - {"name", "description", "kind", "inputs", "injectors"}
    if unknown:
        errors.append(f"unknown top-level keys {sorted(unknown)}")

    inputs = ct.get("inputs") or {}
    if set(inputs) - {"fields", "required"}:
        errors.append(
            f"inputs: unknown keys {sorted(set(inputs) - {'fields', 'required'})} (dependencies: custom types)"
        )
    fields = inputs.get("fields", [])
    ids: List[str] = []
    labels: List[str] = []
    for i, f in enumerate(fields):
        where = f"inputs.fields[{i}]"
        if set(f) - AWX_FIELD_KEYS:
            errors.append(f"{where}: unknown keys {sorted(set(f) - AWX_FIELD_KEYS)}")
        if "id" not in f or "label" not in f:
            errors.append(f"{where}: id and label are required")
            continue
        if not isinstance(f["id"], str) or not AWX_NAME.match(f["id"]):
            errors.append(f"{where}: {f['id']!r} is an invalid variable name")
        if f["id"] == "tower":
            errors.append(f'{where}: "tower" is a reserved field name')
        if f["id"] in ids:
            errors.append(f"{where}: field IDs must be unique ({f['id']})")
        ids.append(f["id"])
        labels.append(f["label"])
        ftype = f.get("type", "string")
        if ftype not in ("string", "boolean"):
            errors.append(f"{where}: type {ftype!r} is not string or boolean")
        for key in AWX_STRING_ONLY:
            if key in f and ftype != "string":
                errors.append(f"{where}: {key} not allowed for {ftype} type ({f['id']})")
        if "format" in f and f["format"] not in ("ssh_private_key", "url"):
            errors.append(f"{where}: format {f['format']!r} is not ssh_private_key or url")
        for key in ("multiline", "secret", "ask_at_runtime"):
            if key in f and not isinstance(f[key], bool):
                errors.append(f"{where}: {key} must be a boolean")
        if "default" in f and not isinstance(f["default"], {"string": str, "boolean": bool}.get(ftype, object)):
            errors.append(f"{where}: default {f['default']!r} is not a {ftype}")
    if len(set(labels)) != len(labels):
        errors.append("inputs.fields: labels must be unique")
    for req in inputs.get("required", []):
        if req not in ids:
            errors.append(f"inputs.required: {req!r} is not a defined field")

    injectors = ct.get("injectors") or {}
    if set(injectors) - {"file", "env", "extra_vars"}:
        errors.append(f"injectors: unknown keys {sorted(set(injectors) - {'file', 'env', 'extra_vars'})}")
    files = injectors.get("file", {})
    for key in files:
        if not AWX_FILE_KEY.match(key):
            errors.append(f"injectors.file: {key!r} is not template or template.<name>")
    if "template" in files and len(files) > 1:
        errors.append("injectors.file: must use multi-file syntax when injecting multiple files")
    for name in injectors.get("env", {}):
        if not AWX_NAME.match(name):
            errors.append(f"injectors.env: {name!r} is not a valid environment variable name")
        if name.startswith("ANSIBLE_"):
            errors.append(f"injectors.env: {name} may affect Ansible configuration (not allowed in credentials)")
        if name in AWX_ENV_BLOCKLIST:
            errors.append(f"injectors.env: {name} is not allowed to be used in credentials")
    for name, value in injectors.get("env", {}).items():
        if not isinstance(value, str) or not value.isascii():
            errors.append(f"injectors.env.{name}: must be an ASCII string")
    for name in injectors.get("extra_vars", {}):
        if not AWX_NAME.match(name):
            errors.append(f"injectors.extra_vars: {name!r} is not a valid variable name")

    # Templates may only use defined fields and tower.filename[.<name>] of declared file templates.
    class _Files:
        pass

    class _Tower:
        def __init__(self) -> None:
            self.filename: Any = _Files()

    namespace: Dict[str, Any] = {i: "EXAMPLE" for i in ids}
    namespace["tower"] = _Tower()
    if "template" in files:
        namespace["tower"].filename = "EXAMPLE_FILENAME"
    else:
        for key in files:
            setattr(namespace["tower"].filename, key.split(".", 1)[1], "EXAMPLE_FILENAME")
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind, injector in injectors.items():
        for key, tmpl in (injector or {}).items():
            if not isinstance(tmpl, str):
                errors.append(f"injectors.{kind}.{key}: the template must be a string")
                continue
            try:
                env.from_string(tmpl).render(namespace)
            except UndefinedError as e:
                errors.append(f"injectors.{kind}.{key}: uses an undefined field ({e})")
            except (SecurityError, TemplateSyntaxError) as e:
                errors.append(f"injectors.{kind}.{key}: {e}")
    return errors


def awx_inject(ct: Mapping[str, Any], inputs: Mapping[str, Any], private_data_dir: Path) -> Dict[str, Any]:
    """Render the injectors as AWX does for a job (CredentialType.inject_credential).

    Unset string fields are left out of the namespace (they render as empty strings), unset
    booleans are False, private keys get a trailing newline, every file template is written
    (mode 0600) even when it renders empty, and the ``safe`` env masks secret fields.
    """
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    fields = ct["inputs"]["fields"]
    secret = {f["id"] for f in fields if f.get("secret")}

    class _Ns:
        pass

    tower = _Ns()
    ns: Dict[str, Any] = {"tower": tower}
    safe_ns: Dict[str, Any] = {"tower": tower}
    for k, v in inputs.items():
        if isinstance(v, bool):
            ns[k] = safe_ns[k] = v
        elif v:
            ns[k] = v
            safe_ns[k] = "**********" if k in secret else v
    for f in fields:
        if f.get("type") == "boolean" and f["id"] not in inputs:
            ns[f["id"]] = safe_ns[f["id"]] = False
        if f.get("format") == "ssh_private_key" and f["id"] in ns and not ns[f["id"]].endswith("\n"):
            ns[f["id"]] += "\n"

    sandbox = ImmutableSandboxedEnvironment()
    env_dir = private_data_dir / "env"
    env_dir.mkdir(parents=True, exist_ok=True)
    files: Dict[str, Path] = {}
    for label, tmpl in ct["injectors"].get("file", {}).items():
        fd, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(fd, "w") as fh:
            fh.write(sandbox.from_string(tmpl).render(**ns))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        if "." in label:
            if not isinstance(getattr(tower, "filename", None), _Ns):
                tower.filename = _Ns()  # type: ignore[attr-defined]
            setattr(tower.filename, label.split(".", 1)[1], path)  # type: ignore[attr-defined]
            files[label.split(".", 1)[1]] = Path(path)
        else:
            tower.filename = path  # type: ignore[attr-defined]
            files[""] = Path(path)
    env = {k: sandbox.from_string(t).render(**ns) for k, t in ct["injectors"].get("env", {}).items()}
    safe_env = {k: sandbox.from_string(t).render(**safe_ns) for k, t in ct["injectors"].get("env", {}).items()}
    extra_vars = {k: sandbox.from_string(t).render(**ns) for k, t in ct["injectors"].get("extra_vars", {}).items()}
    return {"env": env, "safe_env": safe_env, "extra_vars": extra_vars, "files": files}


@pytest.fixture(scope="module")
def cred() -> Dict[str, Any]:
    data = yaml.safe_load(CRED_YML.read_text())
    assert isinstance(data, dict), f"{CRED_YML}: expected a mapping"
    return data


def field(ct: Mapping[str, Any], fid: str) -> Dict[str, Any]:
    return next(f for f in ct["inputs"]["fields"] if f["id"] == fid)


def plugin_documentation(path: Path) -> Dict[str, Any]:
    """DOCUMENTATION of a plugin/module file, read without importing it."""
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DOCUMENTATION" for t in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value))
    raise AssertionError(f"{path}: no DOCUMENTATION")


# ---------------------------------------------------------------- credential type: structure


def test_yaml_and_json_forms_are_equal(cred: Dict[str, Any]) -> None:
    assert json.loads(CRED_JSON.read_text()) == cred


def test_credential_type_passes_awx_validation(cred: Dict[str, Any]) -> None:
    assert awx_problems(cred) == []


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda c: c["injectors"]["env"].update(CAMGUARD_X="{{ no_such_field }}"), "uses an undefined field"),
        (lambda c: c["injectors"]["env"].update(CAMGUARD_X="{{ tower.filename.nope }}"), "uses an undefined field"),
        (lambda c: c["injectors"]["file"].update(template="{{ username }}"), "multi-file syntax"),
        (lambda c: c["injectors"]["env"].update(ANSIBLE_HOST_KEY_CHECKING="False"), "may affect Ansible"),
        (lambda c: c["inputs"]["fields"].append({"id": "username", "label": "Again"}), "must be unique"),
        (
            lambda c: c["inputs"]["fields"].append({"id": "flag", "label": "F", "type": "boolean", "secret": True}),
            "not allowed",
        ),
        (lambda c: c["inputs"]["required"].append("enable_secret"), "not a defined field"),
        (lambda c: c.update(kind="ssh"), "kind"),
    ],
)
def test_awx_validation_catches_mistakes(cred: Dict[str, Any], mutate: Any, expected: str) -> None:
    """The checker above is not a rubber stamp: each AWX rule it encodes rejects a broken type."""
    broken = json.loads(json.dumps(cred))
    mutate(broken)
    assert any(expected in p for p in awx_problems(broken)), awx_problems(broken)


def test_secrets_are_secret_and_keys_multiline(cred: Dict[str, Any]) -> None:
    assert field(cred, "password").get("secret") is True
    key = field(cred, "ssh_private_key")
    assert key.get("secret") is True and key.get("multiline") is True and key.get("format") == "ssh_private_key"
    assert field(cred, "known_hosts").get("multiline") is True
    assert not field(cred, "username").get("secret")
    assert set(cred["inputs"]["required"]) == {"username", "known_hosts"}
    for f in cred["inputs"]["fields"]:
        assert f.get("help_text"), f"{f['id']}: help_text is what the AWX form shows; write one"


def test_every_field_is_injected(cred: Dict[str, Any]) -> None:
    used = " ".join(t for inj in cred["injectors"].values() for t in inj.values())
    for f in cred["inputs"]["fields"]:
        assert re.search(r"\b" + f["id"] + r"\b", used), f"field {f['id']} is never injected"


def test_injected_names_are_the_ones_the_collection_reads(cred: Dict[str, Any]) -> None:
    opts = plugin_documentation(REPO / "plugins" / "inventory" / "mac_table.py")["options"]
    env = cred["injectors"]["env"]
    assert [e["name"] for e in opts["username"]["env"]] == ["CAMGUARD_USERNAME"]
    assert opts["password_env"]["default"] == "CAMGUARD_PASSWORD"
    assert [e["name"] for e in opts["private_key_file"]["env"]] == ["CAMGUARD_PRIVATE_KEY_FILE"]
    assert [e["name"] for e in opts["known_hosts_file"]["env"]] == ["CAMGUARD_KNOWN_HOSTS_FILE"]
    assert set(env) == {
        "CAMGUARD_USERNAME",
        "CAMGUARD_PASSWORD",
        "CAMGUARD_PRIVATE_KEY_FILE",
        "CAMGUARD_KNOWN_HOSTS_FILE",
    }
    from ansible_collections.camguard.network.plugins.module_utils._collect.args import connection_argument_spec

    spec = connection_argument_spec()
    assert spec["password"]["fallback"][1] == ["CAMGUARD_PASSWORD"], "password env fallback changed"
    assert spec["private_key_file"]["fallback"][1] == ["CAMGUARD_PRIVATE_KEY_FILE"]
    assert spec["known_hosts_file"]["fallback"][1] == ["CAMGUARD_KNOWN_HOSTS_FILE"]
    from ansible_collections.camguard.network.plugins.module_utils._collect.args import mac_table_info_argument_spec
    from ansible_collections.camguard.network.plugins.module_utils._isolate.options import isolation_argument_spec

    # each module (and its action plugin) takes its whole spec from _module_args
    for module, spec_fn in (
        ("port_isolation", isolation_argument_spec),
        ("mac_table_info", mac_table_info_argument_spec),
    ):
        src = (REPO / "plugins" / "modules" / f"{module}.py").read_text()
        assert f"argument_spec={spec_fn.__name__}()" in src, module
        full = spec_fn()
        assert {k: full[k] for k in spec} == spec, f"{module}: does not use the shared connection options"
    # the playbook jobs get the file paths as the role's connection variables
    tasks = (REPO / "roles" / "camera_isolation" / "tasks" / "run_module.yml").read_text()
    for var in cred["injectors"]["extra_vars"]:
        assert var in tasks, f"extra var {var} is not used by the camera_isolation role"


# ---------------------------------------------------------------- credential type: rendered as AWX does


@pytest.mark.parametrize(
    "inputs",
    [
        {"username": "netops", "password": SECRET_PASSWORD, "known_hosts": KNOWN_HOSTS},
        {"username": "netops", "ssh_private_key": FAKE_KEY, "known_hosts": KNOWN_HOSTS},
        {"username": "netops", "password": SECRET_PASSWORD, "ssh_private_key": FAKE_KEY, "known_hosts": KNOWN_HOSTS},
    ],
    ids=["password", "key", "both"],
)
def test_injection_gives_usable_values(cred: Dict[str, Any], tmp_path: Path, inputs: Dict[str, str]) -> None:
    from ansible.config.manager import ensure_type

    out = awx_inject(cred, inputs, tmp_path)
    env, files = out["env"], out["files"]
    assert env["CAMGUARD_USERNAME"] == "netops"
    assert env["CAMGUARD_PASSWORD"] == inputs.get("password", "")
    # An empty path option would be resolved by Ansible to the current directory: never inject one.
    for name in ("CAMGUARD_PRIVATE_KEY_FILE", "CAMGUARD_KNOWN_HOSTS_FILE"):
        assert env[name], f"{name} is empty"
        assert ensure_type(env[name], "path") == env[name]
        assert stat.S_IMODE(os.stat(env[name]).st_mode) == 0o600
    assert Path(env["CAMGUARD_KNOWN_HOSTS_FILE"]).read_text() == KNOWN_HOSTS
    assert Path(env["CAMGUARD_PRIVATE_KEY_FILE"]).read_text() == (
        FAKE_KEY + "\n" if "ssh_private_key" in inputs else ""
    )
    assert Path(env["CAMGUARD_PRIVATE_KEY_FILE"]) == files["ssh_private_key"]
    # Playbook jobs: no key -> empty string (the module then logs in with the password only).
    expected_key_var = str(files["ssh_private_key"]) if "ssh_private_key" in inputs else ""
    assert out["extra_vars"] == {
        "camguard_private_key_file": expected_key_var,
        "camguard_known_hosts_file": str(files["known_hosts"]),
    }
    # What AWX stores and shows for the job never holds the secrets.
    shown = json.dumps(out["safe_env"]) + json.dumps(out["extra_vars"])
    assert SECRET_PASSWORD not in shown and "OPENSSH PRIVATE KEY" not in shown


@pytest.fixture
def seam(monkeypatch: pytest.MonkeyPatch) -> Iterator[List[Any]]:
    """Record the Target the plugin would connect to; every switch then answers 'unreachable'."""
    from ansible_collections.camguard.network.plugins.module_utils import _collect
    from ansible_collections.camguard.network.plugins.module_utils._records import DeviceError

    opened: List[Any] = []

    def fake_open(target: Any) -> Any:
        opened.append(target)
        raise DeviceError(target.name, f"cannot connect to {target.host}:{target.port}: connection refused")

    monkeypatch.setattr(_collect, "open_transport", fake_open)
    yield opened


def test_inventory_plugin_uses_the_injected_credentials(
    cred: Dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seam: List[Any]
) -> None:
    """The docs' example inventory source, run under the env an AWX inventory sync would have."""
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader

    inputs = {
        "username": "netops",
        "password": SECRET_PASSWORD,
        "ssh_private_key": FAKE_KEY,
        "known_hosts": KNOWN_HOSTS,
    }
    out = awx_inject(cred, inputs, tmp_path / "private_data_dir")
    for k in ("CAMGUARD_USERNAME", "CAMGUARD_PASSWORD", "CAMGUARD_PRIVATE_KEY_FILE", "CAMGUARD_KNOWN_HOSTS_FILE"):
        monkeypatch.delenv(k, raising=False)
    for k, v in out["env"].items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("CAMGUARD_HOST_KEY_CHECKING", raising=False)
    src = tmp_path / "inventories" / EXAMPLE_INVENTORY.name
    src.parent.mkdir()
    shutil.copy(EXAMPLE_INVENTORY, src)

    inv = InventoryManager(loader=DataLoader(), sources=[str(src)])

    expected = {sw["name"] for sw in yaml.safe_load(EXAMPLE_INVENTORY.read_text())["switches"]}
    assert {t.name for t in seam} == expected
    for t in seam:
        assert t.credentials.username == "netops"
        assert t.credentials.password == SECRET_PASSWORD
        assert t.credentials.private_key_file == out["env"]["CAMGUARD_PRIVATE_KEY_FILE"]
        assert t.known_hosts_file == out["env"]["CAMGUARD_KNOWN_HOSTS_FILE"]
        assert t.host_key_checking is True
    assert {h.name for h in inv.groups["camguard_unreachable"].get_hosts()} == expected
    assert {h.name for h in inv.groups["platform_cisco_ios"].get_hosts()} == {"access-b1-01", "access-b1-02"}
    dump = json.dumps({h.name: h.get_vars() for h in inv.get_hosts()}, default=str)
    dump += json.dumps({g: inv.groups[g].get_vars() for g in inv.groups}, default=str)
    assert SECRET_PASSWORD not in dump and "OPENSSH PRIVATE KEY" not in dump


# ---------------------------------------------------------------- the documented AWX inventory setting


def _ansible_env(tmp_path: Path, collections: Path = REPO / ".build" / "collections") -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CAMGUARD_"))}
    env.update(
        HOME=str(tmp_path / "home"),
        ANSIBLE_HOME=str(tmp_path / "home" / ".ansible"),
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
        ANSIBLE_NOCOLOR="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def test_any_unparsed_is_failed_is_what_makes_a_failed_source_fail(tmp_path: Path) -> None:
    """AWX sets ANSIBLE_INVENTORY_UNPARSED_FAILED, which does not catch one bad source among good ones."""
    invdir = tmp_path / "inventories"
    invdir.mkdir()
    (invdir / "static.yml").write_text("all:\n  hosts:\n    jumphost-01:\n")
    (invdir / "site.mac_table.yml").write_text(
        "plugin: camguard.network.mac_table\nswitches:\n  - {name: sw1, host: 127.0.0.1, platform: cisco_ios, colour: red}\n"
    )
    base = _ansible_env(tmp_path)
    base["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True"  # as in AWX's STANDARD_INVENTORY_UPDATE_ENV
    cmd = [str(BIN / "ansible-inventory"), "-i", str(invdir), "--list"]

    lax = subprocess.run(cmd, env=base, capture_output=True, check=False, text=True, timeout=120)
    assert lax.returncode == 0, lax.stderr  # the switches silently vanish from the inventory
    assert "jumphost-01" in lax.stdout and "camguard_switches" not in lax.stdout

    strict = subprocess.run(
        cmd,
        env=dict(base, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true"),
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert strict.returncode != 0
    assert "switches[0]: unknown key(s) colour" in strict.stderr

    # the example project's ansible.cfg does the same for runs in the project directory
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(EXAMPLE_PROJECT / "ansible.cfg", project / "ansible.cfg")
    from_cfg = subprocess.run(cmd, cwd=project, env=base, capture_output=True, check=False, text=True, timeout=120)
    assert from_cfg.returncode != 0, from_cfg.stdout
    assert "switches[0]: unknown key(s) colour" in from_cfg.stderr


# ---------------------------------------------------------------- execution environment


def _ee() -> Dict[str, Any]:
    data = yaml.safe_load(EE_FILE.read_text())
    assert isinstance(data, dict)
    return data


def _galaxy_version() -> str:
    return str(yaml.safe_load((REPO / "galaxy.yml").read_text())["version"])


def test_ee_definition_shape() -> None:
    ee = _ee()
    assert ee["version"] == 3
    deps = ee["dependencies"]
    assert deps["python"] == "requirements.txt" and deps["system"] == "bindep.txt"
    pins = {
        line.split("==")[0].strip().lower(): line.split("==")[1].strip()
        for line in (REPO / "requirements-test.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    # the image runs the ansible-core the test suite runs
    assert deps["ansible_core"]["package_pip"] == f"ansible-core=={pins['ansible-core']}"
    assert re.fullmatch(r"ansible-runner==[0-9.]+", deps["ansible_runner"]["package_pip"])
    tarball = f"camguard-network-{_galaxy_version()}.tar.gz"
    assert [c["name"] for c in deps["galaxy"]["collections"]] == [f"collections/{tarball}"], "bump with galaxy.yml"
    assert {"src": f".build/dist/{tarball}", "dest": "collections"} in ee["additional_build_files"]
    assert "--offline" in ee["build_arg_defaults"]["ANSIBLE_GALAXY_CLI_COLLECTION_OPTS"]
    assert ee["images"]["base_image"]["name"].count(":") == 1
    assert ee["options"]["tags"] and all(t.endswith(f":{_galaxy_version()}") for t in ee["options"]["tags"])


def test_ee_definition_passes_ansible_builder_validation(tmp_path: Path) -> None:
    pytest.importorskip("ansible_builder", reason="ansible-builder is in requirements-test.txt")
    from ansible_builder.exceptions import DefinitionError
    from ansible_builder.user_definition import UserDefinition

    UserDefinition(str(EE_FILE)).validate()

    bad = tmp_path / "execution-environment.yml"
    for name in ("requirements.txt", "bindep.txt"):
        shutil.copy(REPO / name, tmp_path / name)
    broken = _ee()
    broken["dependencies"]["ansible_core"] = "ansible-core"  # must be {package_pip: ...} in schema 3
    bad.write_text(yaml.safe_dump(broken))
    with pytest.raises(DefinitionError):
        UserDefinition(str(bad)).validate()


@pytest.fixture(scope="module")
def ee_context(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    """`ansible-galaxy collection build` + `ansible-builder create`, as docs/awx.md tells a user."""
    pytest.importorskip("ansible_builder", reason="ansible-builder is in requirements-test.txt")
    work = tmp_path_factory.mktemp("ee")
    env = _ansible_env(work, collections=work / "no-collections")
    for name in ("execution-environment.yml", "requirements.txt", "bindep.txt"):
        shutil.copy(REPO / name, work / name)
    dist = work / ".build" / "dist"
    build = subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(dist), str(REPO)],
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    context = work / "context"
    create = subprocess.run(
        [
            sys.executable,
            "-m",
            "ansible_builder",
            "create",
            "--file",
            str(work / "execution-environment.yml"),
            "--context",
            str(context),
            "--output-filename",
            "Containerfile",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )
    assert create.returncode == 0, create.stdout + create.stderr
    assert "No matches" not in create.stdout + create.stderr, create.stdout + create.stderr
    return {"work": work, "context": context, "build": context / "_build"}


def test_create_writes_containerfile_and_requirements(ee_context: Dict[str, Path]) -> None:
    build = ee_context["build"]
    containerfile = (ee_context["context"] / "Containerfile").read_text()
    ee = _ee()
    assert f'ARG EE_BASE_IMAGE="{ee["images"]["base_image"]["name"]}"' in containerfile
    refs = f"{ee['dependencies']['ansible_core']['package_pip']} {ee['dependencies']['ansible_runner']['package_pip']}"
    assert f'ARG ANSIBLE_INSTALL_REFS="{refs}"' in containerfile
    assert 'ARG ANSIBLE_GALAXY_CLI_COLLECTION_OPTS="--offline"' in containerfile
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile
    assert (build / "requirements.txt").read_text() == (REPO / "requirements.txt").read_text()
    assert (build / "bindep.txt").read_text() == (REPO / "bindep.txt").read_text()
    tarball = build / "collections" / f"camguard-network-{_galaxy_version()}.tar.gz"
    with tarfile.open(tarball) as tf:
        manifest = json.load(tf.extractfile("MANIFEST.json"))  # type: ignore[arg-type]
    info = manifest["collection_info"]
    assert (info["namespace"], info["name"], info["version"]) == ("camguard", "network", _galaxy_version())
    assert info["dependencies"] == {}  # the image build never needs Galaxy


@pytest.fixture(scope="module")
def galaxy_stage(ee_context: Dict[str, Path]) -> Path:
    """Run the galaxy stage's install steps from the context, offline, into a local path."""
    dest = ee_context["work"] / "usr-share-ansible"
    env = _ansible_env(ee_context["work"], collections=dest / "collections")  # as in the image: nothing else
    env["ANSIBLE_GALAXY_DISABLE_GPG_VERIFY"] = "1"
    for cmd in (
        ["role", "install", "-r", "requirements.yml", "--roles-path", str(dest / "roles")],
        [
            "collection",
            "install",
            "--offline",
            "-r",
            "requirements.yml",
            "--collections-path",
            str(dest / "collections"),
        ],
    ):
        res = subprocess.run(
            [str(BIN / "ansible-galaxy"), *cmd],
            cwd=ee_context["build"],
            env=env,
            capture_output=True,
            check=False,
            text=True,
            timeout=300,
        )
        assert res.returncode == 0, res.stdout + res.stderr
    assert "camguard.network:" in res.stdout and "was installed successfully" in res.stdout, res.stdout
    return dest / "collections"


def test_galaxy_stage_installs_the_collection_offline(galaxy_stage: Path) -> None:
    installed = galaxy_stage / "ansible_collections" / "camguard" / "network"
    manifest = json.loads((installed / "MANIFEST.json").read_text())
    assert manifest["collection_info"]["version"] == _galaxy_version()
    assert (installed / "plugins" / "inventory" / "mac_table.py").is_file()


def test_builder_stage_introspection_keeps_our_requirements(ee_context: Dict[str, Path], galaxy_stage: Path) -> None:
    build = ee_context["build"]
    pip_out, bindep_out = ee_context["work"] / "pip.txt", ee_context["work"] / "bindep.out"
    res = subprocess.run(
        [
            sys.executable,
            str(build / "scripts" / "introspect.py"),
            "introspect",
            "--user-pip=requirements.txt",
            "--user-bindep=bindep.txt",
            f"--write-pip={pip_out}",
            f"--write-bindep={bindep_out}",
            str(galaxy_stage),
        ],
        cwd=build,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    wanted = [
        line.split("#")[0].strip()
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    got = pip_out.read_text()
    for req in wanted:
        assert req in got, f"{req} missing from the image's pip requirements"
    assert "from collection camguard.network" in got  # the installed collection was introspected too


def test_bindep_gives_the_image_no_lab_packages() -> None:
    pytest.importorskip("bindep", reason="installed with ansible-builder")
    from bindep.depends import Depends

    deps = Depends((REPO / "bindep.txt").read_text())
    lab = {r[0] for r in deps.active_rules(["platform:dpkg", "platform:debian", "lab"])} - {
        r[0] for r in deps.active_rules(["platform:dpkg", "platform:debian", "default"])
    }
    assert lab, "bindep.txt tags its lab packages with the lab profile"
    ee_platform = ["platform:rpm", "platform:redhat", "platform:centos", "platform:centos-9"]
    for profile in ("default", "compile"):  # what assemble installs: `bindep -l newline`, `bindep -b compile`
        chosen = {r[0] for r in deps.active_rules([*ee_platform, profile])}
        assert not chosen & lab, f"lab packages in the image ({profile}): {sorted(chosen & lab)}"


# ---------------------------------------------------------------- the example AWX project


def test_example_project_playbooks_import_the_collection_playbooks(tmp_path: Path) -> None:
    names = ("discover", "isolate", "release", "audit")
    for name in names:
        play = yaml.safe_load((EXAMPLE_PROJECT / f"{name}.yml").read_text())
        assert play == [{"name": play[0]["name"], "ansible.builtin.import_playbook": f"camguard.network.{name}"}]
        assert (REPO / "playbooks" / f"{name}.yml").is_file(), f"playbooks/{name}.yml (camguard.network.{name})"
    env = _ansible_env(tmp_path)
    res = subprocess.run(
        [
            str(BIN / "ansible-playbook"),
            "--syntax-check",
            "-i",
            "localhost,",
            *[str(EXAMPLE_PROJECT / f"{n}.yml") for n in names],
        ],
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
