"""``python -m dashboard scores``: dimension scores from an answers file."""

from __future__ import annotations

import argparse


def add_parsers(sub) -> None:
    p = sub.add_parser("scores", help="compute dimension scores from an answers file (CSV or XLSX)")
    p.add_argument("--answers", required=True, help="long answers file: region_id,indicator_id,value")
    p.add_argument("--framework", help="questionnaire file (default: the loaded dataset's)")
    p.add_argument("--out", required=True, help="output CSV: region_id,dimension,score")
    p.set_defaults(func=run_scores)


def run_scores(args: argparse.Namespace) -> int:
    from dashboard import data, scoring
    from dashboard.cli.files import atomic_write, check_output, input_file

    out = check_output(args.out)
    answers_path = input_file(args.answers)
    framework_path = input_file(args.framework) if args.framework else None
    base = data.load_dataset(args.data_dir)
    framework = data.read_framework_file(framework_path) if framework_path else base.framework
    answers = data.read_answers_file(answers_path, framework, base.regions)
    scores = scoring.compute_scores(answers, framework)
    scores["score"] = scores["score"].round(4)
    atomic_write(out, lambda tmp: scores.to_csv(tmp, index=False, lineterminator="\n"))
    print(f"wrote {len(scores)} scores for {scores['region_id'].nunique()} region(s) to {out}")
    return 0
