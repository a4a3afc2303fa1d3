"""`python -m directory match` and `purge`: the matcher and retention from the command line."""

from __future__ import annotations

import argparse
import getpass
import json
import os
from datetime import date
from typing import Any

from directory.access.matching_view import CLI_VIEWER, matching_view
from directory.cli.context import AddCommand, open_store
from directory.coverage_data import road_graph
from directory.errors import ValidationError
from directory.i18n import explain, translate
from directory.places.gazetteer import uat_points
from directory.places.geocoder import Geocoder
from directory.settings import Settings
from directory.storage.audit import AuditEntry
from directory.storage.frame import services_frame
from matching.needs import EXPLOITATION_TYPES

MIN_REASON = 5  # the same as a reveal in the app


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _avoid_circle(value: str) -> tuple[float, float, float]:
    parts = value.split(",")
    try:
        lat, lon, km = (float(x) for x in parts)
    except ValueError:
        raise argparse.ArgumentTypeError("give LAT,LON,KM, e.g. 46.64,27.73,10") from None
    return lat, lon, km


def _avoid_area(args: argparse.Namespace, geocoder: Geocoder) -> Any:
    from matching.needs import AvoidArea

    if args.avoid and args.avoid_place:
        raise ValidationError("--avoid", "give --avoid or --avoid-place, not both")
    if args.avoid:
        lat, lon, km = args.avoid
        return AvoidArea(latitude=lat, longitude=lon, radius_km=km)
    if args.avoid_place:
        if args.avoid_km is None:
            raise ValidationError("--avoid-km", "--avoid-place needs --avoid-km, e.g. 15")
        spot = _origin(geocoder, args.avoid_place, "--avoid-place")
        return AvoidArea(latitude=spot.latitude, longitude=spot.longitude, radius_km=args.avoid_km)
    if args.avoid_km is not None:
        raise ValidationError("--avoid-km", "--avoid-km needs --avoid-place")
    return None


def add_match_parser(add: AddCommand) -> None:
    p = add("match", cmd_match, "Match a child's needs to services; print the care plan.")
    p.add_argument("--from", dest="origin", required=True, help="Locality, e.g. 'Vaslui'.")
    p.add_argument("--age", type=int, required=True, help="The child's age in years.")
    p.add_argument("--gender", choices=("female", "male"), help="The child's gender.")
    p.add_argument("--languages", type=_csv, default=("ro",), help="ISO 639 codes: ro,rom")
    p.add_argument("--needs", type=_csv, required=True, help="Service types, comma-separated.")
    p.add_argument("--urgency", choices=("emergency", "urgent", "routine"), default="routine")
    p.add_argument(
        "--requirements", type=_csv, default=(),
        help="Any of wheelchair,with_parent,unaccompanied,interpreter (interpreter: staff speak "
        "one of --languages, or the service offers interpretation).",
    )  # fmt: skip
    p.add_argument(
        "--exploitation", choices=EXPLOITATION_TYPES,
        help="Ranks services specialised in this exploitation type higher.",
    )  # fmt: skip
    p.add_argument("--waitlist", action="store_true", help="Accept a shelter's waiting list.")
    limit = p.add_mutually_exclusive_group()
    limit.add_argument("--max-km", type=float, default=200.0, help="Farthest service, in road km.")
    limit.add_argument("--max-min", type=float, help="Farthest service, in minutes by road.")
    p.add_argument("--avoid", type=_avoid_circle, help="An area to avoid: LAT,LON,KM.")
    p.add_argument("--avoid-place", help="An area to avoid around a place (with --avoid-km).")
    p.add_argument("--avoid-km", type=float, help="The radius around --avoid-place, in km.")
    p.add_argument("--limit", type=_positive, default=5, help="Matches to print per need.")
    p.add_argument("--lang", choices=("ro", "en"), default="ro", help="Language of the text.")
    p.add_argument("--json", action="store_true", help="Print JSON.")
    p.add_argument("--reveal", action="store_true", help="Show exact points (needs --reason).")
    p.add_argument("--reason", help="Why the exact points are needed; logged with --reveal.")
    p = add("purge", cmd_purge, "Delete closed referrals past the retention period.")
    p.add_argument("--days", type=int, help="Retention in days (default: the setting).")


def _origin(geocoder: Geocoder, query: str, option: str = "--from"):
    candidates = geocoder.geocode(query, limit=8)
    if geocoder.is_ambiguous(candidates):
        tied = [c for c in candidates if c.score == candidates[0].score]
        labels = "; ".join(c.label() for c in tied)
        raise ValidationError(
            option, f"{query!r} matches {len(tied)} places ({labels}); add the county, "
            f"e.g. '{tied[0].name}, jud. {tied[0].county_code}'",
        )  # fmt: skip
    return candidates[0]


def cmd_match(args: argparse.Namespace, settings: Settings) -> int:
    from matching.care_plan import care_plan
    from matching.needs import Needs
    from matching.prepared import prepare

    if args.reveal and len((args.reason or "").strip()) < MIN_REASON:
        raise ValidationError(
            "--reason", f"--reveal needs --reason saying why, in at least {MIN_REASON} characters"
        )
    geocoder = Geocoder.from_data_dir(settings.data_dir)
    origin = _origin(geocoder, args.origin)
    needs = Needs(
        latitude=origin.latitude, longitude=origin.longitude, age=args.age, needs=args.needs,
        gender=args.gender, languages=args.languages, urgency=args.urgency,
        requirements=args.requirements, max_km=args.max_km, max_minutes=args.max_min,
        exploitation=args.exploitation, accept_waitlist=args.waitlist,
        avoid=_avoid_area(args, geocoder), origin_label=origin.label(),
    )  # fmt: skip
    graph = road_graph(settings)  # read once; matching is handed it, never loads it
    with open_store(args, settings) as store:
        frame = services_frame(store, details=True)
        if args.reveal:
            frame = frame.assign(location_precision="exact")
            p = prepare(frame, date.today(), graph=graph)
        else:  # public points only; the avoid area still sees the true ones
            points = uat_points(settings.data_dir)
            p = matching_view(frame, CLI_VIEWER, points, date.today(), graph)
            frame = p.frame
        plan = care_plan(p, needs, settings.match_policy())
        report = _report(p, plan, origin, args)
        if args.reveal:
            shown = {m["location_id"] for item in report["needs"] for m in item["matches"]}
            hidden = set(frame.loc[frame["disclosure"] != "public", "location_id"])
            for location_id in sorted(shown & hidden):
                store.log(
                    AuditEntry(
                        os_user(), "reveal", "location", location_id, reason=args.reason[:500]
                    )
                )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _print(report, args.lang)
    return 0


def os_user() -> str:
    """Who ran the command, as the operating system knows them: logged instead of "cli"."""
    try:
        return "os:" + getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (e.g. a bare container)
        return f"os:uid-{os.getuid()}"


def _say(reason: Any, lang: str) -> str:
    return explain(reason, lang)


def _report(p: Any, plan: Any, origin: Any, args: argparse.Namespace) -> dict[str, Any]:
    def match(m: Any) -> dict[str, Any]:
        d = p.frame.iloc[m.row]
        return {
            "service_at_location_id": m.service_at_location_id,
            "location_id": d["location_id"],
            "service_name": d["service_name"],
            "organization_name": d["organization_name"],
            "service_type": m.service_type,
            "score": round(m.score, 4),
            "km": round(m.km, 1),
            "minutes": round(m.minutes),
            "minutes_estimate": round(m.minutes),  # the old name, kept for scripts
            "method": m.method,
            "latitude": round(float(d["latitude"]), 5),
            "longitude": round(float(d["longitude"]), 5),
            "location_precision": d["location_precision"],
            "reasons": [_say(r, args.lang) for r in m.explained],
            "fits": [_say(r, args.lang) for r in m.fits],
            "gaps": [_say(r, args.lang) for r in m.gaps],
        }

    items = []
    for item in plan.items:
        items.append(
            {
                "need": item.need,
                "ranked_from": item.ranked_from,
                "choice": match(item.choice) if item.choice else None,
                "unmet_reason": _say(item.unmet_reason, args.lang) if item.unmet_reason else None,
                "matches": [match(m) for m in item.result.matches[: args.limit]],
                "excluded": [
                    {
                        "service_at_location_id": e.service_at_location_id,
                        "rule": e.rule,
                        "reason": _say(e.reason, args.lang),
                    }
                    for e in item.result.excluded(limit=args.limit)
                ],
            }
        )
    return {
        "origin": {"label": origin.label(), "siruta": origin.siruta},
        "total_km": round(plan.total_km, 1),
        "total_minutes": round(plan.total_minutes),
        "total_minutes_estimate": round(plan.total_minutes),
        "unmet": list(plan.unmet),
        "needs": items,
    }


def _print(report: dict[str, Any], lang: str) -> None:
    def tr(key: str, **values: Any) -> str:
        return translate(key, lang, **values)

    print(f"{report['origin']['label']}")
    print(tr("find.plan.total", km=report["total_km"], minutes=report["total_minutes"]))
    for item in report["needs"]:
        print(f"\n== {tr('type.' + item['need'])} ==")
        if item["choice"] is None:
            print("  " + tr("find.plan.unmet", reason=item["unmet_reason"]))
        for rank_no, m in enumerate(item["matches"], start=1):
            where = "≈" if m["location_precision"] == "generalised" else ""
            travel = tr("cli.match.travel", km=f"{where}{m['km']}", minutes=m["minutes"])
            if m["method"] != "road":
                travel = tr("cli.match.travel_line", km=f"{where}{m['km']}", minutes=m["minutes"])
            print(
                f"  {rank_no}. {m['service_name']} · {m['organization_name']} · "
                f"{travel} · {m['score']:.2f}"
            )
            for sentence in m["fits"]:
                print(f"       ✓ {sentence}")
            for sentence in m["gaps"]:
                print(f"       ⚠ {sentence}")
        if item["excluded"]:
            print("  " + tr("find.tab.whynot") + ":")
            for e in item["excluded"]:
                print(f"     x {e['service_at_location_id']}: {e['reason']}")


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    from directory.referrals.workflow import purge

    days = settings.referral_retention_days if args.days is None else args.days
    if days < 0:
        raise ValidationError("--days", "must be 0 or more")
    with open_store(args, settings) as store:
        removed = purge(store, days)
    print(f"Purged {removed} closed referrals older than {days} days.")
    return 0
