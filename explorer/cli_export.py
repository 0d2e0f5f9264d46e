"""`python -m explorer export`: a run as a standalone Keras program (.py or notebook), no UI."""

from pathlib import Path

from explorer.cli_train import add_run_arguments, read_run
from explorer.errors import InputError
from explorer.model import DEFAULT_START, STARTS


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="write the Keras program (.py or .ipynb) that trains one run, standalone")
    add_run_arguments(p)
    p.add_argument("--start", choices=list(STARTS), default=DEFAULT_START,
                   help="where the Embedding table begins; a GloVe start makes it 50 wide")
    p.add_argument("--format", choices=["py", "ipynb"], default="py", dest="fmt",
                   help="a Python script or a Jupyter notebook")
    p.add_argument("--out", required=True, help="the file to write")
    p.set_defaults(handler=run_export)


def run_export(args) -> int:
    import dataclasses

    from explorer.export import GLOVE_DIM, program, render

    texts, labels, class_names, encode_settings, settings = read_run(args)
    if args.start != "random":
        settings = dataclasses.replace(settings, output_dim=GLOVE_DIM,
                                       trainable=args.start == "glove_tuned")
    text = render(program(texts, labels, encode_settings=encode_settings, model_settings=settings,
                          start=args.start, class_names=class_names), fmt=args.fmt)
    out = Path(args.out)
    if not out.parent.is_dir():
        raise InputError(f"`--out` must be in an existing folder. Received: {args.out}")
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(text.encode('utf-8')):,} bytes): run it with "
          + (f"`python {out}`" if args.fmt == "py" else "Jupyter"))
    return 0
