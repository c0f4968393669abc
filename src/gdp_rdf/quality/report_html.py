"""The HTML summary report of `gdp-rdf check --html`: one self-contained, offline file.

Inline CSS, no scripts, no external files: counts per check and country, then every finding
with its message, the other values involved and the printed lines it points at.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from gdp_rdf.quality.findings import Finding
from gdp_rdf.quality.run import QualityReport
from gdp_rdf.quality.tables import Thresholds, load_checks

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.25em .5em;
vertical-align:top;text-align:left}td.n{text-align:right}th{background:#f3f3f3}
.error{color:#a00}.warning{color:#8a5a00}.info{color:#246}pre{background:#f7f7f7;margin:.3em 0;
padding:.3em;white-space:pre-wrap}pre b{background:#ffe9a8}small{color:#555}
"""


def _excerpt(source: str, cache: dict[str, list[str] | None]) -> str:
    """The printed line a finding points at, with one line either side, when the file is here."""
    path, _, line = source.rpartition(":")
    if not line.isdigit():
        return ""
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            cache[path] = None
    lines, number = cache[path], int(line)
    if not lines or not 0 < number <= len(lines):
        return ""
    shown = []
    for n in range(max(1, number - 1), min(len(lines), number + 1) + 1):
        text = f"{n:>5}  {escape(lines[n - 1])}"
        shown.append(f"<b>{text}</b>" if n == number else text)
    return "<pre>" + "\n".join(shown) + "</pre>"


def _anchor(f: Finding) -> str:
    return f"f-{f.country}-{f.check}-{f.indicator}-{f.period or 'undated'}-{f.source.rsplit(':', 1)[-1]}"


def _thresholds(thresholds: Thresholds) -> list[str]:
    rows = ["<h2>Thresholds</h2><table><tr><th>name</th><th>value</th><th>why this value</th></tr>"]
    for name, value, reason in thresholds.rows():
        rows.append(
            f"<tr><td><code>{escape(name)}</code></td><td>{escape(value)}</td><td>{escape(reason)}</td></tr>"
        )
    return [*rows, "</table>"]


def report_html(
    report: QualityReport,
    thresholds: Thresholds | None = None,
    title: str = "gdp-rdf quality report",
) -> bytes:
    """The report as one HTML document (UTF-8), with the thresholds used when given."""
    checks = load_checks()
    counts = report.counts()
    by_country: dict[str, dict[str, int]] = {c: dict.fromkeys(checks, 0) for c in report.countries}
    for f in report.findings:
        by_country.setdefault(f.country, dict.fromkeys(checks, 0))[f.check] += 1
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{len(report.findings)} finding(s) on {len(report.countries)} countr"
        f"{'y' if len(report.countries) == 1 else 'ies'}. A finding flags a value a careful reader "
        "would doubt; the value is published exactly as the page prints it.</p>",
        "<h2>Checks</h2><table><tr><th>check</th><th>what it looks for</th><th>dimension</th>"
        "<th>severity</th><th>findings</th></tr>",
    ]
    for code, info in checks.items():
        out.append(
            f'<tr><td id="check-{code}"><code>{code}</code></td><td>{escape(info.definition)}</td>'
            f'<td>{info.dimension}</td><td class="{info.severity}">{info.severity}</td>'
            f'<td class="n">{counts[code]}</td></tr>'
        )
    out.append("</table>")
    if thresholds is not None:
        out += _thresholds(thresholds)
    out.append("<h2>Findings per country</h2><table><tr><th>country</th>")
    out += [f"<th><code>{code}</code></th>" for code in checks]
    out.append("<th>total</th></tr>")
    for name in sorted(by_country):
        row = by_country[name]
        link = f'<a href="#{name}">{{}}</a>'
        cells = "".join(f'<td class="n">{link.format(n) if n else ""}</td>' for n in row.values())
        out.append(f'<tr><td>{name}</td>{cells}<td class="n">{sum(row.values())}</td></tr>')
    out.append("</table><h2>Findings</h2>")
    cache: dict[str, list[str] | None] = {}
    country: str | None = None
    for f in report.findings:
        if f.country != country:
            if country is not None:
                out.append("</table>")
            country = f.country
            out.append(
                f'<h3 id="{country}">{country}</h3><table><tr><th>indicator</th><th>period</th>'
                "<th>check</th><th>value</th><th>why</th><th>source</th></tr>"
            )
        out.append(
            f'<tr id="{escape(_anchor(f))}"><td><code>{escape(f.indicator)}</code></td>'
            f'<td>{f.period or ""}</td><td class="{f.severity}"><a href="#check-{f.check}">'
            f"{f.check}</a> ({f.severity})</td><td>{escape(f.value)}</td><td>{escape(f.message)}"
            f"{f'<br><small>{escape(f.context)}</small>' if f.context else ''}</td>"
            f"<td><code>{escape(f.source)}</code>{_excerpt(f.source, cache)}</td></tr>"
        )
    if country is not None:
        out.append("</table>")
    out.append("</body></html>\n")
    return "\n".join(out).encode("utf-8")
