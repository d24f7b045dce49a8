"""Vendor the map's JavaScript and CSS into `geo/maps/vendor/` from the npm registry, at exact versions.

    python scripts/vendor_assets.py

Reads the packages and files from `geo/data/map_assets.json`, downloads each package's tarball
from https://registry.npmjs.org (no npm client needed), checks it against the registry's sha512
`integrity`, and copies out the files a map loads, the images and woff2 fonts their stylesheets
load, and the package's licence file. `geo/maps/vendor/manifest.json` records every file with
its sha256, and each package with its tarball URL, integrity and licence; the map build refuses a
file whose checksum differs. Re-run it after changing a version in `map_assets.json`; the folder
is replaced as a whole, so nothing stale stays behind.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.maps.assets import MANIFEST_NAME, Asset, css_refs, load_manifest, package_folder, resolve_ref  # noqa: E402

REGISTRY = "https://registry.npmjs.org"
LICENCE_NAMES = ("license", "licence", "license.txt", "licence.txt", "license.md", "mit-license.txt",
                 "mit-licence.txt", "license-mit", "copying")


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:   # noqa: S310 (a fixed https registry)
        return response.read()


def package_meta(package: str, version: str, get: Callable[[str], bytes] = _get) -> dict:
    """The registry's `dist` record of one package version: tarball URL and integrity."""
    name = package.replace("/", "%2F") if package.startswith("@") else package
    return json.loads(get(f"{REGISTRY}/{name}/{version}"))["dist"]


def check_integrity(data: bytes, integrity: str, what: str) -> None:
    """Refuse a tarball whose sha512 differs from the registry's `integrity` (sha512-BASE64)."""
    algo, _, expected = integrity.partition("-")
    if algo != "sha512":
        raise SystemExit(f"{what}: unsupported integrity {integrity!r}")
    found = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if found != expected:
        raise SystemExit(f"{what}: tarball does not match the registry's integrity")


def _licence_member(tar: tarfile.TarFile, what: str) -> str:
    names = {m.name[len("package/"):]: m for m in tar.getmembers() if m.isfile() and m.name.startswith("package/")}
    for name in sorted(names):
        if "/" not in name and name.lower() in LICENCE_NAMES:
            return name
    raise SystemExit(f"{what}: no licence file at the package root")


def extract(tarball: bytes, assets: list[Asset], into: Path) -> dict[str, bytes]:
    """The files of one package a map needs (with what their CSS loads) and its licence: path -> bytes."""
    what = assets[0].spec
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        wanted = [a.path for a in assets] + [_licence_member(tar, what)]
        while wanted:
            path = wanted.pop()
            if path in out:
                continue
            try:
                handle = tar.extractfile(f"package/{path}")
            except KeyError:
                handle = None
            if handle is None:
                raise SystemExit(f"{what}: the tarball has no file {path}")
            out[path] = handle.read()
            if path.endswith(".css"):
                wanted.extend(resolve_ref(path, ref) for ref in css_refs(out[path].decode("utf-8")))
    for path, data in out.items():
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out


def vendor(target: Path, get: Callable[[str], bytes] = _get) -> dict:
    """Download, check and unpack every npm asset into `target` (replaced whole); returns the manifest."""
    groups: dict[str, list[Asset]] = {}
    for asset in load_manifest():
        if asset.source == "npm":
            groups.setdefault(asset.spec, []).append(asset)
    packages, files = [], {}
    staging = Path(tempfile.mkdtemp(prefix=".vendor-", dir=target.parent))
    try:
        for spec, assets in sorted(groups.items()):
            first = assets[0]
            dist = package_meta(first.package, first.version, get)
            tarball = get(dist["tarball"])
            check_integrity(tarball, dist["integrity"], spec)
            folder = package_folder(first)
            extracted = extract(tarball, assets, staging / folder)
            licence_file = next(p for p in extracted if "/" not in p and p.lower() in LICENCE_NAMES)
            packages.append({"package": first.package, "version": first.version, "folder": folder,
                             "licence": first.licence, "licence_file": f"{folder}/{licence_file}",
                             "tarball": dist["tarball"], "integrity": dist["integrity"]})
            for path, data in sorted(extracted.items()):
                files[f"{folder}/{path}"] = hashlib.sha256(data).hexdigest()
        manifest = {
            "about": "Written by scripts/vendor_assets.py from the npm registry; do not edit by hand. "
                     "files: sha256 of every vendored file, checked by the map build.",
            "packages": packages,
            "files": dict(sorted(files.items())),
        }
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, default=ROOT / "geo" / "maps" / "vendor", help="target folder")
    args = parser.parse_args(argv)
    manifest = vendor(args.into)
    size = sum((args.into / path).stat().st_size for path in manifest["files"])
    print(f"vendored {len(manifest['files'])} files of {len(manifest['packages'])} packages "
          f"({size / 1e6:.2f} MB) into {args.into}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
