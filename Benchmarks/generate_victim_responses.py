#!/usr/bin/env python3
"""Writes a responses CSV for Questionnaires/asb-victim-satisfaction.json, for `canvass import responses`.

Usage: generate_victim_responses.py ROWS OUT.csv [SEED]

Boroughs get different satisfaction levels so measures differ by group; branching is respected
(action_taken = yes ⇒ actions; experienced_before = yes ⇒ asked_repeat).
"""
import random
import sys

BOROUGHS = ["Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "Croydon", "Ealing", "Enfield",
            "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow",
            "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham", "Merton", "Newham",
            "Redbridge", "Richmond upon Thames", "Southwark", "Sutton", "Tower Hamlets", "Waltham Forest", "Wandsworth",
            "Westminster"]
SCALE = ["very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied", "very_dissatisfied", "dont_know"]


def scale(rng, p_satisfied):
    r = rng.random()
    if r < 0.03:
        return "dont_know"
    if r < 0.03 + p_satisfied * 0.97:
        return rng.choice(SCALE[:2])
    return rng.choice(SCALE[2:5])


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    level = {b: 0.40 + 0.30 * i / (len(BOROUGHS) - 1) for i, b in enumerate(BOROUGHS)}
    header = ["how_reported", "contact_sat", "action_taken", "actions", "incident_sat", "kept_informed", "info_sat",
              "treatment", "local_sat", "experienced_before", "asked_repeat", "impact", "felt_unsafe", "disability",
              "borough", "ward", "completed_at", "weight"]
    with open(out, "w") as f:
        f.write(",".join(header) + "\n")
        for i in range(rows):
            b = BOROUGHS[i % len(BOROUGHS)]
            p = level[b]
            action = rng.choice(["yes", "no", "dont_know"])
            actions = ";".join(sorted(rng.sample(["warning", "cpw", "cpn", "visited"], 2))) if action == "yes" else ""
            before = rng.choice(["yes", "no"])
            asked = rng.choice(["yes", "no"]) if before == "yes" else ""
            month = 1 + (i * 7) % 12
            year = 2025 + (i % 2)
            row = [rng.choice(["phone_101", "phone_999", "online"]), scale(rng, min(0.95, p + 0.25)), action, actions,
                   scale(rng, p + 0.08), rng.choice(["yes", "no"]), scale(rng, p + 0.1), rng.choice(["yes", "no"]),
                   scale(rng, p), before, asked, rng.choice(["great_deal", "fair_amount", "not_very_much"]),
                   rng.choice(["yes", "no"]), rng.choice(["yes", "no", "prefer_not"]), b, f"Ward {i % 17 + 1}",
                   f"{year}-{month:02d}-{1 + i % 28:02d}", f"{0.5 + rng.random():.3f}"]
            f.write(",".join('"%s"' % v if "," in v else v for v in row) + "\n")


if __name__ == "__main__":
    main()
