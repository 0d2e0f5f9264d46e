"""Command line: `python -m explorer {train,export,project,analogy,...} ...`.

Each group of subcommands lives in its own `explorer/cli_*.py` module with a `register(subparsers)`
function. Bad input prints one line on stderr and exits with status 1.
"""

import argparse
import sys

from explorer.errors import InputError


def build_parser() -> argparse.ArgumentParser:
    from explorer import cli_export, cli_glove, cli_project, cli_similarity, cli_train

    parser = argparse.ArgumentParser(prog="python -m explorer", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in (cli_train, cli_export, cli_project, cli_glove, cli_similarity):
        module.register(subparsers)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args) or 0
    except (InputError, KeyError, FileNotFoundError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"error: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
