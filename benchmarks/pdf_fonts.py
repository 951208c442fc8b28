"""Benchmark: a Chinese PDF report against the same report set in a Latin-only font.

    .venv/bin/python benchmarks/pdf_fonts.py [--plan ID] [--repeat N]

Both runs render the same HTML and charts. In the Latin run every CJK
character is replaced by a Latin letter and the font stack is DejaVu Sans
only, so the difference is what Chinese text costs: glyph lookup and font
subsetting. Target: Chinese ≤ 1.3 × Latin.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import build  # noqa: E402
from generator.render import pdf  # noqa: E402
from generator.render.plan_charts import plan_charts  # noqa: E402
from generator.render.reports import report_language  # noqa: E402
from generator.views.report import report  # noqa: E402

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
STACK = re.compile(r'html \{ font-family: [^;]+;')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="launch-2026q3")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--project", type=Path, default=ROOT)
    args = parser.parse_args()

    computed = build.compute(args.project, plan_ids={args.plan})
    p = computed.result.plans[0]
    lang = report_language(p, computed.result.language)
    drawn = plan_charts(p, computed.store, computed.result, lang)
    files, links = drawn.files("charts")  # as `render.reports.plan_report` names them
    view = report(computed.result, p, links, computed.sources(p.id), lang)
    templates = args.project / "site_templates"
    chinese = pdf.render_html("report.html.j2", templates, lang, r=view)
    latin = STACK.sub('html { font-family: "DejaVu Sans";', CJK.sub("x", chinese))
    fonts = pdf.font_files()  # made once per machine, outside the timing

    def timed(html: str, resources: dict[str, bytes]) -> tuple[float, int]:
        best = float("inf")
        size = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            size = len(pdf.write_pdf(html, resources))
            best = min(best, time.perf_counter() - start)
        return best, size

    full = STACK.sub('html { font-family: "DejaVu Sans", "Noto Sans CJK SC";', chinese)
    t_latin, s_latin = timed(latin, files)
    t_cjk, s_cjk = timed(chinese, {**files, **fonts})
    t_full, s_full = timed(full, files)
    ratio = t_cjk / t_latin
    print(f"plan {args.plan}: best of {args.repeat} runs each")
    print(f"  Latin-only font          : {t_latin:6.2f} s  ({s_latin // 1024} KB)")
    print(f"  Chinese, pre-subset font : {t_cjk:6.2f} s  ({s_cjk // 1024} KB)")
    print(f"  Chinese, full system font: {t_full:6.2f} s  ({s_full // 1024} KB)  "
          f"[{t_full / t_latin:.2f}x, what the pre-subset font avoids]")
    verdict = "met" if ratio <= 1.3 else "MISSED"
    print(f"  ratio Chinese / Latin    : {ratio:6.2f}  (target ≤ 1.30: {verdict})")
    return 0 if ratio <= 1.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
