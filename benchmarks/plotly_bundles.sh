#!/usr/bin/env bash
# Should the app serve a plotly.js bundle with only its trace types (geo, polar, bar, heatmap, scatter)?
# Issue #12's rule: only if it cuts the page by more than 1 MB compressed. This measures the published
# plotly.js bundles of the version the installed plotly package carries, compressed as the server sends them
# (brotli 11, gzip 9). Needs the npm registry; nothing is committed or served from it.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
version=$($py -c "import re, plotly, pathlib; p = pathlib.Path(plotly.__file__).parent / 'package_data/plotly.min.js'; print(re.search(rb'plotly.js v([0-9.]+)', p.read_bytes()[:400]).group(1).decode())")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
for p in plotly.js-dist-min plotly.js-basic-dist-min plotly.js-cartesian-dist-min plotly.js-geo-dist-min; do
  npm pack -q "$p@$version" >/dev/null
  mkdir -p "$p" && tar xzf "$p-$version.tgz" -C "$p"
done
"$OLDPWD/$py" - "$version" <<'PY'
import brotli, glob, gzip, sys
print(f"plotly.js {sys.argv[1]}")
for f in sorted(glob.glob("*/package/plotly*.min.js")):
    b = open(f, "rb").read()
    print(f"{f.split('/')[0]}: raw {len(b) / 1e6:.2f} MB, gzip {len(gzip.compress(b, 9)) / 1e6:.2f} MB, "
          f"brotli {len(brotli.compress(b, quality=11)) / 1e6:.2f} MB")
PY
