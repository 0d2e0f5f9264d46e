"""`python -m explorer train`: the whole core workflow without the UI."""

import json
from pathlib import Path

from explorer.constraints import argument
from explorer.errors import InputError
from explorer.model import ModelSettings
from explorer.text import EncodeSettings


def register(subparsers) -> None:
    p = subparsers.add_parser("train", help="encode a CSV of reviews and train the embedding model")
    add_run_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_train)


def add_run_arguments(p) -> None:
    """--csv and the settings of one run; `export` takes the same ones."""
    p.add_argument("--csv", required=True, help="CSV file with columns text,label")
    # Defaults, types and choices come from the settings classes, the app's first values too.
    p.add_argument("--encoding", **argument(EncodeSettings, "method"))
    for name in ("vocab_size", "max_length", "padding", "truncating"):
        p.add_argument("--" + name.replace("_", "-"), **argument(EncodeSettings, name))
    for name in ("output_dim", "head", "optimizer", "learning_rate", "epochs", "batch_size",
                 "validation_split", "seed"):
        p.add_argument("--" + name.replace("_", "-"), **argument(ModelSettings, name))
    p.add_argument("--mask-zero", action="store_true", **argument(ModelSettings, "mask_zero"),
                   help="Embedding(mask_zero=True): the average or LSTM head skips padding")


def read_run(args):
    """(texts, labels, class_names, EncodeSettings, ModelSettings) from `add_run_arguments`."""
    from explorer.reviews import read_reviews_csv, validate_reviews

    path = Path(args.csv)
    if not path.is_file():
        raise InputError(f"`--csv` must name a file. Received: {args.csv}")
    frame, class_names = read_reviews_csv(path.read_bytes())
    texts, labels = validate_reviews(frame, class_names=class_names)
    encode_settings = EncodeSettings(args.encoding, args.vocab_size, args.max_length,
                                     args.padding, args.truncating)
    settings = ModelSettings(output_dim=args.output_dim, head=args.head, optimizer=args.optimizer,
                             learning_rate=args.learning_rate, epochs=args.epochs,
                             batch_size=args.batch_size, validation_split=args.validation_split,
                             seed=args.seed, mask_zero=args.mask_zero)
    return texts, labels, class_names, encode_settings, settings


def run_train(args) -> int:
    from explorer.model import prepare, train
    from explorer.text import encode

    texts, labels, class_names, encode_settings, settings = read_run(args)
    encoded = encode(texts, encode_settings)
    result = train(prepare(encoded, labels, settings=settings))
    report = {
        "params": {**{row["layer"]: row["params"] for _, row in result.summary.iterrows()},
                   **result.totals},
        "history": result.history,
        "final_accuracy": result.final.get("accuracy"),
        "final_loss": result.final.get("loss"),
        "epochs_run": result.epochs_run,
        "weights_shape": list(result.weights_after.shape),
        "class_names": list(class_names),
        "collisions": {str(k): v for k, v in result.encoded.encoder.collisions.items()},
        "stopped": result.stopped,
        "seconds": round(result.seconds, 3),
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"params: {result.totals['total']:,} ({result.totals['trainable']:,} trainable)")
        print(f"epochs: {result.epochs_run}, final loss {report['final_loss']:.4f}, "
              f"accuracy {report['final_accuracy']:.2%}")
        if result.stopped:
            print(result.stopped)
    return 0
