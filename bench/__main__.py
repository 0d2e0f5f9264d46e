"""`make bench`: run every bench/bench_*.py module and print one table.

Each module has `run() -> list[dict]`; a row has `name`, `median_s`, and where the issue names
a reference, `reference`, `reference_median_s` and `ratio` (ours / reference), plus `target`
(the issue's number, as text) and `ok` (whether it was met). Medians over repeated runs; the
reference is measured in the same process, right beside ours.
"""

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def _fmt(value, spec):
    return "" if value is None else format(value, spec)


def main(only=None) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if only:
        names = [n for n in names if any(o in n for o in only)]
    rows = []
    for name in names:
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        print(f"# {name} ...", file=sys.stderr, flush=True)
        rows.extend(module.run())
        print(f"# {name} done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    header = f"{'benchmark':58} {'median s':>9} {'reference':>26} {'ref s':>8} {'ratio':>6}  {'target':28} ok"
    print(header)
    print("-" * len(header))
    for r in rows:
        ok = {True: "yes", False: "NO", None: ""}[r.get("ok")]
        print(
            f"{r['name'][:58]:58} {_fmt(r.get('median_s'), '9.4f')} {r.get('reference', '')[:26]:>26} "
            f"{_fmt(r.get('reference_median_s'), '8.4f')} {_fmt(r.get('ratio'), '6.2f')}  "
            f"{r.get('target', '')[:28]:28} {ok}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
