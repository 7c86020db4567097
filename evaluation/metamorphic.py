"""Rewrites that keep a question's meaning: the answer must keep its figures or say it did not understand.

    python -m evaluation.metamorphic [--db data/bank.db] [--sets handwritten_a …] [--every 1]

Each hand-written question whose answer states figures is asked again in a few wordings a person
might use for the same thing (a polite lead-in, a dictated filler, a particle at the end,
traditional characters, other punctuation, a remark about why it is asked). A rewrite may make the
answer "not understood"; it must never make it state other figures. That would be a confident wrong
answer caused by wording alone. The hand-written sets check a question against pandas; this checks
that their success does not hang on one wording.
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import opencc

from agents.planner import Context
from evaluation.run import HANDWRITTEN, load_cases

_S2T = opencc.OpenCC("s2t")
_PUNCT = str.maketrans({"，": ",", "？": "?", "。": ".", ",": "，", "?": "？"})

REWRITES = {
    "polite lead-in": lambda q: "麻烦帮我看一下，" + q,
    "dictated filler": lambda q: "嗯 " + q,
    "particle at the end": lambda q: q.rstrip("？?。.！! ") + "呢？",
    "traditional characters": lambda q: _S2T.convert(q),
    "other punctuation": lambda q: q.translate(_PUNCT),
    "why it is asked": lambda q: q.rstrip("？?。.！! ") + "，我写周报要用。",
}


def facts(answer) -> dict:
    return {(repr(sorted(f["group"].items())), f["measure"]): f["value"]
            for f in answer.provenance.get("facts", []) if answer.ok}


def _ask(assistant, turns: list[str]):
    context = Context()
    for turn in turns:
        answer = assistant.ask(turn, context)
    return answer


def run(assistant, cases: list[dict]) -> list[dict]:
    """One row per (case, rewrite): same / not understood / other figures."""
    rows = []
    for case in cases:
        turns = case.get("turns") or [case["question"]]
        original = facts(_ask(assistant, turns))
        if not original:
            continue
        for name, rewrite in REWRITES.items():
            asked = turns[:-1] + [rewrite(turns[-1])]
            got = facts(_ask(assistant, asked))
            outcome = "same" if got == original else ("not understood" if not got else "other figures")
            rows.append({"id": case["id"], "rewrite": name, "question": asked[-1], "outcome": outcome})
    return rows


def main(argv=None) -> int:
    from agents.assistant import Assistant
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="data/bank.db")
    parser.add_argument("--artifacts", default="artifacts")
    parser.add_argument("--sets", nargs="*", default=[s for s in HANDWRITTEN if s != "unanswerable"])
    parser.add_argument("--every", type=int, default=1, help="every Nth case (a quicker sample)")
    args = parser.parse_args(argv)
    assistant = Assistant(Path(args.db), Path(args.artifacts))
    cases = [c for name in args.sets for c in load_cases(name)][::args.every]
    rows = run(assistant, cases)
    for name in REWRITES:
        counts = Counter(r["outcome"] for r in rows if r["rewrite"] == name)
        print(f"{name}: {counts['same']} same, {counts['not understood']} not understood, "
              f"{counts['other figures']} other figures")
    for r in rows:
        if r["outcome"] != "same":
            print(f"  {r['outcome'].upper()} {r['id']} [{r['rewrite']}] {r['question']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
