"""`python -m directory import FILE` and the HSDS formats of `export`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from directory.settings import Settings

IMPORT_FORMATS = ("csv", "xlsx", "hsds-json", "hsds-csv")
HSDS_FORMATS = ("hsds-json", "hsds-csv")
CLI_ACTOR = "cli"


def add_import_parser(add: Any) -> None:
    """Register `import` with the parser helper of directory/cli/main.py."""
    p = add("import", cmd_import, "Import listings from CSV, XLSX or HSDS; preview, then commit.")
    p.add_argument("file", help="The file (an HSDS tabular package may be a folder or .zip).")
    p.add_argument("--format", choices=IMPORT_FORMATS, help="Default: from the file.")
    p.add_argument(
        "--columns",
        help="Map headers to Punte's columns: 'Denumire=service_name,Oraș=locality'. "
        "Unmapped headers are suggested; 'Header=' ignores one. See `import --template`.",
    )
    p.add_argument("--organization", help="Every row belongs to this organisation id.")
    p.add_argument("--dry-run", action="store_true", help="Print the preview; change nothing.")
    p.add_argument("--json", action="store_true", help="Print one JSON object.")
    p.add_argument("--rejected", help="Write the rows not imported, with reasons, to this CSV.")
    p.add_argument("--lang", choices=("ro", "en"), default="ro", help="Language of the reasons.")


def add_template_parser(add: Any) -> None:
    p = add("import-template", cmd_template, "Print the import template CSV and its columns.")
    p.add_argument("--describe", action="store_true", help="Describe each column instead.")
    p.add_argument("--lang", choices=("ro", "en"), default="ro", help="Language.")


def add_hsds_export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--include-confidential",
        action="store_true",
        help="HSDS only: exact points of confidential sites (admin; needs --reason; logged).",
    )
    p.add_argument("--reason", help="Why the full export is needed (logged).")


def cmd_template(args: argparse.Namespace, settings: Settings) -> int:
    from directory.listings.columns import describe_columns, template_csv

    if args.describe:
        for name, example, text in describe_columns(args.lang):
            print(f"{name:<26}{text}  [{example}]")
    else:
        sys.stdout.write(template_csv())
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from directory.listings.problems import FileProblemError

    try:
        return _import(args, settings)
    except FileProblemError as e:  # said in the language asked for, like the row reasons
        raise ValueError(e.text(args.lang)) from None


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from directory.listings.importer import commit, preview
    from directory.listings.report_out import rejected_rows_csv, report_dict
    from directory.storage.store import Store

    fmt = args.format or _format_of(args.file)
    with Store(getattr(args, "db", None) or settings.database) as store:
        if fmt in HSDS_FORMATS:  # a spreadsheet format is checked against the bytes
            from directory.listings.hsds_import import read_hsds

            report = read_hsds(args.file, fmt, store=store)
        else:
            report = preview(
                args.file,
                fmt=args.format,
                columns=args.columns,
                organization_id=args.organization,
                store=store,
                data_dir=settings.data_dir,
            )
        committed = None
        if not args.dry_run and report.plan.creates + report.plan.updates:
            committed = commit(store, report, CLI_ACTOR)
        elif not args.dry_run:
            committed = report.plan.counts()
    if args.rejected:
        Path(args.rejected).write_text(rejected_rows_csv(report, args.lang), encoding="utf-8")
    if args.json:
        print(json.dumps(report_dict(report, args.lang, committed), ensure_ascii=False, indent=1))
    else:
        _print_report(report, args.lang, committed)
    return 0


def _format_of(file: str) -> str:
    suffix = Path(file).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return "xlsx"
    if suffix == ".json":
        return "hsds-json"
    if suffix == ".zip" or Path(file).is_dir():
        return "hsds-csv"
    return "csv"


def _print_report(report: Any, lang: str, committed: dict[str, int] | None) -> None:
    c = report.counts()
    where = f", encoding {report.encoding}" if report.encoding else ""
    where += f", separator {report.delimiter!r}" if report.delimiter else ""
    print(f"Read {report.source} ({report.format}{where}): {c['rows']} rows.")
    used = [f"{h} → {f}" for h, f in report.mapping.items() if f]
    source = {"remembered": " (remembered from an earlier file with these headers)",
              "given": " (from --columns; remembered for the next file)"}  # fmt: skip
    print(f"Columns{source.get(report.mapping_source, ' (suggested)')}: " + "; ".join(used))
    print(
        f"valid {c['valid']}, invalid {c['invalid']}, out of scope {c['out_of_scope']}, "
        f"duplicates {c['duplicate']}, blank {c['blank']}, warnings {c['warnings']}, "
        f"probable duplicates {c['probable_duplicates']}"
    )
    sections = (("Invalid rows", "invalid"), ("Out of scope", "out_of_scope"),
                ("Duplicates", "duplicate"))  # fmt: skip
    for title, status in sections:
        rows = report.rows_with(status)
        if rows:
            print(f"{title}:")
            for r in rows:
                for p in r.problems:
                    print(f"  {p.text(lang)}")
    if report.duplicates:
        print("Probable duplicates (similar names close together; check before merging):")
        for p in report.duplicates:
            print(f"  {p.a} ~ {p.b} (similarity {p.similarity:g}, {p.km:g} km)")
    warnings = report.warnings()
    if warnings:
        print("Warnings:")
        for w in warnings:
            print(f"  {w.text(lang)}")
    planned = report.plan.counts()
    if committed is None:
        print(
            f"Dry run, nothing saved: would create {planned['created']}, update "
            f"{planned['updated']}, leave {planned['unchanged']} services unchanged."
        )
    else:
        print(
            f"Saved: {committed['created']} services created, {committed['updated']} updated, "
            f"{committed['unchanged']} unchanged."
        )


def cmd_export_hsds(args: argparse.Namespace, settings: Settings) -> int:
    from directory.listings.hsds import export_hsds
    from directory.storage.store import Store

    if not args.output:
        raise ValueError("--output/-o is required for HSDS: a .json file, a folder or a .zip.")
    if args.include_confidential and not (args.reason or "").strip():
        raise ValueError('--include-confidential needs --reason "..." (it is logged).')
    with Store(getattr(args, "db", None) or settings.database) as store:
        n = export_hsds(
            store,
            args.output,
            args.format,
            data_dir=settings.data_dir,
            include_confidential=args.include_confidential,
            reason=args.reason,
            actor=CLI_ACTOR,
        )
    print(f"Exported {n} services as {args.format} to {args.output}", file=sys.stderr)
    return 0
