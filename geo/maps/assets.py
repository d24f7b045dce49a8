"""The map's JavaScript and CSS: the copies vendored inside the package, checked, and inlined.

`scripts/vendor_assets.py` copies each file named in `geo/data/map_assets.json` (and the images and
woff2 fonts its CSS loads) out of the npm registry's tarballs into `geo/maps/vendor/`, with each
package's licence and a `manifest.json` of sha256 checksums. `inline_assets` swaps every `<script
src>` and stylesheet link of a rendered map for the vendored file (CSS resources become data: URIs),
after checking it against its checksum, so a map needs no network and a damaged install is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from geo.errors import InputError

__all__ = [
    "MANIFEST_NAME", "RESTORE_COMMAND", "Asset", "MissingAssetsError", "Vendored", "css_refs", "inline_assets",
    "licences", "load_manifest", "package_folder", "require_assets", "resolve_ref", "vendor_dir",
]

MANIFEST = "map_assets.json"
MANIFEST_NAME = "manifest.json"
RESTORE_COMMAND = "`pip install --force-reinstall incidentmap` (in a source checkout: `python scripts/vendor_assets.py`)"

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
    """A vendored asset is missing or differs from its checksum."""


@dataclass(frozen=True, slots=True)
class Asset:
    """One script or stylesheet: the URL folium references and where its bytes come from."""

    url: str
    source: str          # "npm" (vendored from a package tarball) or "python" (a file of an installed package)
    package: str
    version: str
    path: str            # inside the package
    licence: str
    note: str = ""

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


def vendor_dir() -> Path:
    """The folder of vendored assets inside the installed package."""
    return Path(__file__).resolve().parent / "vendor"


def package_folder(asset: Asset) -> str:
    """The vendor sub-folder of an npm package version, e.g. `fortawesome-fontawesome-free-6.2.0`.

    >>> package_folder(Asset("u", "npm", "@fortawesome/fontawesome-free", "6.2.0", "css/all.css", "MIT"))
    'fortawesome-fontawesome-free-6.2.0'
    """
    return f"{asset.package.lstrip('@').replace('/', '-')}-{asset.version}"


def css_refs(css: str) -> list[str]:
    """Relative files a stylesheet loads (after dropping font fallbacks), in order, without repeats."""
    refs = (m.group(2) for m in _CSS_URL.finditer(_FONT_FALLBACK.sub("", css)))
    return list(dict.fromkeys(r for r in refs if not r.startswith(("data:", "#", "http:", "https:", "//"))))


def resolve_ref(base: str, ref: str) -> str:
    """The package path of `ref`, relative to the stylesheet at `base`; refuses paths leaving the package.

    >>> resolve_ref("dist/css/a.css", "../img/p.png?v=1")
    'dist/img/p.png'
    """
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), ref.split("?")[0].split("#")[0]))
    if path.startswith("../") or path.startswith("/"):
        raise InputError(f"stylesheet {base} refers outside its package: {ref}")
    return path


class Vendored:
    """The vendored files under one folder, each read only after its checksum is confirmed."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder is not None else vendor_dir()
        manifest = self.folder / MANIFEST_NAME
        try:
            self.sums: dict[str, str] = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise MissingAssetsError(
                f"the map assets' checksum list {manifest} is missing or unreadable; restore it with {RESTORE_COMMAND}"
            ) from exc

    def read(self, name: str) -> bytes:
        """The bytes of `name` (a path under the folder), or MissingAssetsError naming it and the fix."""
        expected = self.sums.get(name)
        target = self.folder / name
        if expected is None:
            raise MissingAssetsError(f"map asset {name} is not listed in {self.folder / MANIFEST_NAME};"
                                     f" restore the assets with {RESTORE_COMMAND}")
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise MissingAssetsError(f"map asset {name} is missing from {self.folder};"
                                     f" restore it with {RESTORE_COMMAND}") from exc
        if hashlib.sha256(data).hexdigest() != expected:
            raise MissingAssetsError(f"map asset {name} in {self.folder} does not match its sha256 checksum;"
                                     f" restore it with {RESTORE_COMMAND}")
        return data

    def asset(self, asset: Asset) -> bytes:
        return self.read(f"{package_folder(asset)}/{asset.path}")


def require_assets(folder: str | os.PathLike | None = None) -> int:
    """Check every vendored file a map can load against its checksum; returns how many were checked."""
    vendored = Vendored(folder)
    for name in vendored.sums:
        vendored.read(name)
    for asset in load_manifest():
        if asset.source == "npm":
            vendored.asset(asset)
    return len(vendored.sums)


def _inline_css(css: str, vendored: Vendored, asset: Asset) -> str:
    css = _FONT_FALLBACK.sub("", css)
    folder = package_folder(asset)

    def data_uri(match: re.Match) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        path = resolve_ref(asset.path, ref)
        payload = base64.b64encode(vendored.read(f"{folder}/{path}")).decode("ascii")
        mime = _MIME.get(Path(path).suffix.lower(), "application/octet-stream")
        return f'url("data:{mime};base64,{payload}")'

    return _CSS_URL.sub(data_uri, css)


def _asset_text(asset: Asset, vendored: Vendored) -> str:
    if asset.source == "python":
        return (resources.files(asset.package) / asset.path).read_text(encoding="utf-8")
    text = vendored.asset(asset).decode("utf-8")
    if asset.kind == "css":
        return _STYLE_END.sub(r"<\\/\1", _inline_css(text, vendored, asset))
    return _SCRIPT_END.sub(r"<\\/\1", text).replace("<!--", "<\\!--")


def inline_assets(html: str, folder: str | Path | None = None) -> str:
    """Replace every external script and stylesheet of a rendered map by its checked, inlined content."""
    by_url = {a.url: a for a in load_manifest()}
    linked = {m.group(1) for m in _JS_TAG.finditer(html)} | {m.group(1) for m in _CSS_TAG.finditer(html)}
    unknown = sorted(linked - by_url.keys())
    if unknown:
        raise MissingAssetsError(f"no offline copy is known for: {', '.join(unknown)} (see geo/data/{MANIFEST})")
    vendored = Vendored(folder)
    memo: dict[str, str] = {}

    def content(url: str) -> str:
        if url not in memo:
            memo[url] = _asset_text(by_url[url], vendored)
        return memo[url]

    html = _JS_TAG.sub(lambda m: f"<script>/* {by_url[m.group(1)].spec} */\n{content(m.group(1))}\n</script>", html)
    return _CSS_TAG.sub(lambda m: f"<style>/* {by_url[m.group(1)].spec} */\n{content(m.group(1))}\n</style>", html)


def licences() -> list[tuple[str, str]]:
    """(package@version, licence) of every asset, for an about page or a NOTICE file."""
    return sorted({(a.spec, a.licence) for a in load_manifest()})
