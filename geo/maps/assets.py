"""The map's JavaScript and CSS assets: fetching them once into a cache, and inlining them.

`incidentmap assets fetch` runs `fetch_assets`, which obtains each package named in
`geo/data/map_assets.json` with the ordinary npm client (`npm pack PACKAGE@VERSION`) and
keeps the files a map needs in the user cache. `inline_assets` then swaps every
`<script src>` and stylesheet link of a rendered map for the cached file itself (fonts and
images inside the CSS become data: URIs), so a self-contained map needs no network.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from geo.errors import InputError, OutputError

__all__ = [
    "FETCH_COMMAND", "Asset", "MissingAssetsError", "default_cache_dir", "fetch_assets", "inline_assets",
    "licences", "load_manifest", "require_assets",
]

FETCH_COMMAND = "incidentmap assets fetch"
MANIFEST = "map_assets.json"

_MIME = {
    ".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml", ".jpg": "image/jpeg",
    ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".eot": "application/vnd.ms-fontobject",
}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
# Every browser that runs Leaflet 1.9 reads woff2, so the other font formats only add weight.
_FONT_FALLBACK = re.compile(r""",\s*url\([^)]*\.(?:ttf|woff|eot)\)\s*format\(["'][a-z-]+["']\)""")
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)
_STYLE_END = re.compile(r"</(style)", re.IGNORECASE)
_JS_TAG = re.compile(r'<script src="([^"]+)"></script>')
_CSS_TAG = re.compile(r'<link rel="stylesheet" href="([^"]+)"/>')


class MissingAssetsError(InputError):
    """The asset cache lacks files a self-contained map needs."""


@dataclass(frozen=True, slots=True)
class Asset:
    """One script or stylesheet: the URL folium references and where its bytes come from."""

    url: str
    source: str          # "npm" (a package tarball) or "python" (a file of an installed package)
    package: str
    version: str
    path: str            # inside the package
    licence: str
    note: str = ""
    sha256: str = ""     # of the file, when pinned

    @property
    def kind(self) -> str:
        return "css" if self.path.endswith(".css") else "js"

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


def load_manifest() -> tuple[Asset, ...]:
    """The assets listed in `geo/data/map_assets.json`."""
    raw = json.loads((resources.files("geo") / "data" / MANIFEST).read_text(encoding="utf-8"))
    fields = set(Asset.__slots__)
    return tuple(Asset(**{k: v for k, v in row.items() if k in fields}) for row in raw["assets"])


def default_cache_dir() -> Path:
    """Where fetched assets live: the user's cache folder for incidentmap."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("incidentmap")) / "assets"


def _package_dir(cache: Path, asset: Asset) -> Path:
    return cache / asset.spec


def _css_refs(css: str) -> list[str]:
    """Relative files a stylesheet loads (after dropping font fallbacks), in order, without repeats."""
    refs = (m.group(2) for m in _CSS_URL.finditer(_FONT_FALLBACK.sub("", css)))
    return list(dict.fromkeys(r for r in refs if not r.startswith(("data:", "#", "http:", "https:", "//"))))


def _member(base: str, ref: str) -> str:
    """The package path of `ref`, relative to the stylesheet at `base`; refuses paths leaving the package."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), ref.split("?")[0].split("#")[0]))
    if path.startswith("../") or path.startswith("/"):
        raise InputError(f"stylesheet {base} refers outside its package: {ref}")
    return path


def fetch_assets(
    cache_dir: str | Path | None = None,
    *,
    npm: str = "npm",
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> Path:
    """Download every npm asset of the manifest with `npm pack` into the cache; returns the cache folder."""
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    groups: dict[str, list[Asset]] = {}
    for asset in load_manifest():
        if asset.source == "npm":
            groups.setdefault(asset.spec, []).append(asset)
    missing = {spec: assets for spec, assets in groups.items() if not _complete(cache, assets)}
    if not missing:
        return cache
    if shutil.which(npm) is None:
        raise MissingAssetsError(f"the npm client ({npm!r}) is needed to fetch map assets but is not installed")
    with tempfile.TemporaryDirectory(prefix="incidentmap-npm-") as tmp:
        for spec, assets in sorted(missing.items()):
            tarball = _npm_pack(spec, Path(tmp), npm, run)
            _unpack(tarball, assets, _package_dir(cache, assets[0]))
    return cache


def _complete(cache: Path, assets: Iterable[Asset]) -> bool:
    for asset in assets:
        target = _package_dir(cache, asset) / asset.path
        if not target.is_file():
            return False
        if asset.kind == "css":
            css = target.read_text(encoding="utf-8")
            if any(not (target.parent / ref).is_file() for ref in _css_refs(css)):
                return False
    return True


def _npm_pack(spec: str, into: Path, npm: str, run) -> Path:
    try:
        proc = run([npm, "pack", spec, "--json", "--pack-destination", str(into)],
                   capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise MissingAssetsError(f"npm pack {spec} failed: {exc}") from exc
    if proc.returncode != 0:
        detail = (proc.stderr or "").strip().splitlines()[-1:] or ["no message"]
        raise MissingAssetsError(f"npm pack {spec} failed (exit {proc.returncode}): {detail[0]}")
    try:
        filename = json.loads(proc.stdout)[0]["filename"]
    except (ValueError, LookupError, TypeError) as exc:
        raise MissingAssetsError(f"npm pack {spec} gave unexpected output: {proc.stdout[:200]!r}") from exc
    return into / filename.replace("@", "").replace("/", "-")


def _unpack(tarball: Path, assets: list[Asset], into: Path) -> None:
    """Copy the manifest's files (and what their CSS loads) out of a package tarball."""
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            wanted = [a.path for a in assets]
            done: set[str] = set()
            while wanted:
                path = wanted.pop()
                if path in done:
                    continue
                done.add(path)
                data = _read_member(tar, path, tarball)
                asset = next((a for a in assets if a.path == path), None)
                if asset is not None and asset.sha256 and hashlib.sha256(data).hexdigest() != asset.sha256:
                    raise MissingAssetsError(f"{asset.spec}/{path} does not match the checksum in {MANIFEST}")
                if path.endswith(".css"):
                    wanted.extend(_member(path, ref) for ref in _css_refs(data.decode("utf-8")))
                _write(into / path, data)
    except MissingAssetsError:
        raise
    except (OSError, tarfile.TarError) as exc:
        raise MissingAssetsError(f"cannot read {tarball.name}: {exc}") from exc


def _read_member(tar: tarfile.TarFile, path: str, tarball: Path) -> bytes:
    try:
        handle = tar.extractfile(f"package/{path}")
    except KeyError:
        handle = None
    if handle is None:
        raise MissingAssetsError(f"{tarball.name} has no file {path}")
    return handle.read()


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc}") from exc


def require_assets(cache_dir: str | Path | None = None) -> Path:
    """The asset cache, after checking it holds every npm asset; else MissingAssetsError naming the fix."""
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    absent = [a for a in load_manifest() if a.source == "npm" and not (_package_dir(cache, a) / a.path).is_file()]
    if absent:
        names = ", ".join(sorted({a.spec for a in absent}))
        raise MissingAssetsError(
            f"a self-contained map needs its JavaScript/CSS assets, but {cache} lacks {names};"
            f" run `{FETCH_COMMAND}` once (it needs the npm client and network access)"
        )
    return cache


def _asset_bytes(asset: Asset, cache: Path) -> tuple[bytes, Path | None]:
    """The file's bytes and, for npm assets, the folder its relative references resolve against."""
    if asset.source == "python":
        return (resources.files(asset.package) / asset.path).read_bytes(), None
    target = _package_dir(cache, asset) / asset.path
    try:
        return target.read_bytes(), target.parent
    except OSError as exc:
        raise MissingAssetsError(
            f"map asset {asset.spec}/{asset.path} is not in {cache}; run `{FETCH_COMMAND}` first"
        ) from exc


def _inline_css(css: str, folder: Path | None, asset: Asset) -> str:
    css = _FONT_FALLBACK.sub("", css)

    def data_uri(match: re.Match) -> str:
        ref = match.group(2)
        if folder is None or ref.startswith(("data:", "#")):
            return match.group(0)
        target = folder / ref.split("?")[0].split("#")[0]
        try:
            payload = base64.b64encode(target.read_bytes()).decode("ascii")
        except OSError as exc:
            raise MissingAssetsError(
                f"{asset.spec}: {ref} is not in the asset cache; run `{FETCH_COMMAND}` first"
            ) from exc
        mime = _MIME.get(target.suffix.lower(), "application/octet-stream")
        return f'url("data:{mime};base64,{payload}")'

    return _CSS_URL.sub(data_uri, css)


def inline_assets(html: str, cache_dir: str | Path | None = None) -> str:
    """Replace every external script and stylesheet of a rendered map by its inlined content."""
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    by_url = {a.url: a for a in load_manifest()}
    linked = {m.group(1) for m in _JS_TAG.finditer(html)} | {m.group(1) for m in _CSS_TAG.finditer(html)}
    unknown = sorted(linked - by_url.keys())
    if unknown:
        raise MissingAssetsError(f"no offline copy is known for: {', '.join(unknown)} (see geo/data/{MANIFEST})")
    memo: dict[str, str] = {}

    def content(url: str) -> str:
        if url not in memo:
            asset = by_url[url]
            data, folder = _asset_bytes(asset, cache)
            text = data.decode("utf-8")
            if asset.kind == "css":
                memo[url] = _STYLE_END.sub(r"<\\/\1", _inline_css(text, folder, asset))
            else:
                memo[url] = _SCRIPT_END.sub(r"<\\/\1", text).replace("<!--", "<\\!--")
        return memo[url]

    html = _JS_TAG.sub(lambda m: f"<script>/* {by_url[m.group(1)].spec} */\n{content(m.group(1))}\n</script>", html)
    return _CSS_TAG.sub(lambda m: f"<style>/* {by_url[m.group(1)].spec} */\n{content(m.group(1))}\n</style>", html)


def licences() -> list[tuple[str, str]]:
    """(package@version, licence) of every asset, for an about page or a NOTICE file."""
    return sorted({(a.spec, a.licence) for a in load_manifest()})
