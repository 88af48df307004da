"""A record as a person reads it: who is in the article, who said what, and according to whom."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def render_record(rec: dict[str, Any], console: Console, duplicates: list[tuple[str, float]] | None = None) -> None:
    # Article text, titles, ids and local actor names are untrusted: escaped, "[/x]" in an article is text, not
    # rich markup (which would raise or restyle the output).
    names = {a["id"]: escape(a.get("name_en") or a.get("name_ar") or a["id"]) for a in rec.get("actors", [])}
    console.rule(f"[bold]{escape(rec.get('title') or rec['doc_id'])}")
    console.print(
        f"id {escape(rec['doc_id'])} · outlet {escape(rec.get('outlet') or '-')} · published"
        f" {rec.get('published') or 'unknown'} ({rec.get('published_basis') or '-'}) · {len(rec.get('text', ''))}"
        " characters"
    )
    if duplicates:
        console.print("copies linked here: " + ", ".join(f"{escape(d)} ({s:.2f})" for d, s in duplicates))
    if rec.get("actors"):
        t = Table("actor", "kind", "role", "wikidata", "mentions", title="Actors")
        for a in rec["actors"]:
            forms = sorted({m["text"] for m in a["mentions"]}, key=len, reverse=True)
            t.add_row(names[a["id"]], a["kind"], escape(a.get("role") or ""), a.get("wikidata") or "",
                      f"{len(a['mentions'])}: " + escape("، ".join(forms[:4])))  # fmt: skip
        console.print(t)
    if rec.get("quotes"):
        console.print("[bold]Quotes[/]")
        for q in rec["quotes"]:
            who = names.get(q["speaker"]) if q.get("speaker") else None
            label = who or escape(q.get("speaker_text") or "unknown speaker")
            if who and q.get("speaker_text"):
                label = f"{who} ({escape(q['speaker_text'])})"
            text = escape(q["text"] if len(q["text"]) <= 200 else q["text"][:200] + "…")
            console.print(f"  [bold]{label}[/] \\[{q['start']}:{q['end']}]\n    «{text}»", highlight=False)
    if rec.get("sources"):
        console.print("[bold]According to[/]")
        for s in rec["sources"]:
            who = names.get(s["actor"]) if s.get("actor") else None
            count = f", {s['count']}" if s.get("count") else ""
            named = "" if s.get("named") else " (unnamed)"
            line = f"  {s['kind']}{count}{named}: {escape(s['text'])}" + (f" → {who}" if who else "")
            console.print(line, highlight=False)
    if rec.get("events"):
        console.print("[bold]Events[/]")
        for e in rec["events"]:
            a = ", ".join(names.get(x, escape(x)) for x in e.get("actors_a", []))
            b = ", ".join(names.get(x, escape(x)) for x in e.get("actors_b", []))
            console.print(f"  {e['type']} ({e.get('status')}) {a} → {b} on {e.get('date') or '?'}")
