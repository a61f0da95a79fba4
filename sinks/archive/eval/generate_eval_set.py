#!/usr/bin/env python3
"""Writes the archive's labelled retrieval set (src/test/resources/eval/).

One day (2026-11-20, UTC) of caption-style window summaries from eight cameras:
- EVENTS: the windows each query must find (labelled relevant),
- DISTRACTORS: windows that share words with a query but mean something else,
- BACKGROUND: routine captions, varied, spread over the day.
Queries paraphrase their events (few shared words); a few are keyword-style.
Deterministic (fixed seed): rerunning rewrites the same files.
Usage: python3 sinks/archive/eval/generate_eval_set.py
"""
import json
import os
import random

random.seed(15)
DAY = "2026-11-20"

# (query, [(camera, HH:MM, text), ...] relevant, [(camera, HH:MM, text), ...] distractors)
QUERIES = [
    ("when did a truck unload at the dock?",
     [("dock-1", "07:42", "A white box truck is backed up to the loading dock with its rear doors open; two workers wheel pallets out of it with a pallet jack."),
      ("dock-2", "13:15", "Workers take boxes off a semi-trailer parked at bay 2 and stack them on the dock floor."),
      ("dock-1", "16:50", "A delivery lorry is being emptied at the loading bay; a forklift carries pallets from the trailer into the warehouse.")],
     [("dock-1", "09:05", "A truck drives past the loading dock without stopping."),
      ("dock-2", "18:20", "The dock leveler at bay 2 is raised; no truck is present and the shutter is closed."),
      ("dock-1", "11:35", "A truck tyre leans against the wall of the empty dock.")]),
    ("intruder scaling the perimeter barrier",
     [("fence-west", "02:13", "A person in dark clothing climbs over the chain-link fence near the west corner and drops into the yard."),
      ("fence-west", "23:40", "Someone is hoisting themselves up the wire fence, one leg already over the top.")],
     [("fence-west", "10:15", "A security guard walks along the fence line checking the padlocks."),
      ("fence-west", "14:00", "A maintenance worker repairs a section of the fence with new wire."),
      ("fence-west", "07:05", "A bird perches on top of the fence post.")]),
    ("near miss between a lift truck and someone on foot",
     [("aisle-3", "10:05", "A forklift carrying a pallet swerves to avoid a worker who steps into aisle 3 from behind a shelf."),
      ("aisle-3", "14:47", "A worker walking in the aisle has to jump aside as a forklift reverses toward him.")],
     [("aisle-3", "06:40", "A forklift is parked and charging at the end of aisle 3."),
      ("aisle-3", "15:20", "A worker walks down the aisle scanning barcodes on the shelves.")]),
    ("delivery person dropping off a package at the front desk",
     [("lobby", "09:12", "A driver in a brown uniform hands a parcel to the receptionist at the front desk."),
      ("lobby", "15:30", "A courier leaves two parcels on the reception counter and walks out.")],
     [("lobby", "08:40", "The receptionist sorts mail at the front desk."),
      ("lobby", "10:45", "A visitor signs in at the reception desk and waits."),
      ("aisle-3", "13:05", "A package moves along the conveyor belt at the end of the aisle.")]),
    ("something burning near the trash bins",
     [("yard", "19:22", "Grey smoke is rising from a dumpster behind the warehouse; flames are visible inside it."),
      ("yard", "19:32", "Firefighters spray water on a smoking dumpster in the yard.")],
     [("yard", "12:45", "A worker smokes a cigarette next to the dumpster during a break."),
      ("yard", "08:15", "The dumpsters in the yard are emptied by a garbage truck."),
      ("yard", "16:10", "Steam drifts from a vent on the warehouse roof.")]),
    ("vehicle left where parking is not allowed",
     [("parking-east", "11:20", "A silver sedan is parked across the painted no-parking zone in front of the fire exit."),
      ("parking-east", "18:05", "A black SUV stops in the fire lane by the building entrance and the driver leaves it there.")],
     [("parking-east", "08:25", "Cars are parked in the marked bays of the east lot."),
      ("parking-east", "12:35", "A driver circles the lot looking for a free parking space."),
      ("lobby", "11:10", "A fire extinguisher is mounted next to the exit door.")]),
    ("spilled fluid on the ground",
     [("dock-2", "08:30", "A puddle of oil spreads across the floor near the dock door; a worker puts down a wet floor sign."),
      ("aisle-3", "12:10", "A drum has tipped over in the aisle and dark liquid is leaking onto the concrete.")],
     [("yard", "05:20", "Rain is falling on the yard; the asphalt is wet and shiny."),
      ("dock-2", "10:20", "A worker drinks from a water bottle near the dock door.")]),
    ("a second person following someone through the entrance without scanning",
     [("gate-north", "08:02", "Two people pass through the turnstile on a single badge swipe, the second walking close behind the first."),
      ("lobby", "08:55", "A man slips through the security gate right behind an employee before it closes.")],
     [("gate-north", "07:50", "An employee swipes a badge at the turnstile and walks through."),
      ("gate-north", "09:35", "A guard checks the badges of arriving staff at the north gate.")]),
    ("someone tripped and fell down",
     [("lobby", "07:15", "A man slips on the wet entrance steps and falls to the ground; another person helps him up."),
      ("aisle-3", "17:45", "A worker trips over a pallet and lands on the floor of the aisle.")],
     [("parking-east", "15:05", "Leaves fall from the trees along the edge of the parking lot."),
      ("lobby", "17:20", "A man sits on the entrance steps talking on his phone.")]),
    ("entry barrier left open and unattended",
     [("gate-north", "01:30", "The vehicle barrier at the north gate is raised and the guard booth is empty."),
      ("gate-north", "03:45", "The sliding gate stays open at night with no guard in sight.")],
     [("gate-north", "06:55", "A guard opens the gate for an arriving truck."),
      ("gate-north", "22:10", "The north gate is closed and locked; floodlights are on.")]),
    ("an animal roaming the car park",
     [("parking-east", "06:10", "A stray dog trots between the parked cars in the east lot."),
      ("parking-east", "21:50", "A fox crosses the lot under the street lights.")],
     [("parking-east", "17:35", "A man walks to his car carrying a shopping bag."),
      ("parking-east", "10:40", "A parking attendant walks along the rows of cars.")]),
    ("bike being stolen",
     [("parking-east", "22:35", "A person cuts the lock of a bicycle at the rack with bolt cutters and rides away on it.")],
     [("parking-east", "07:55", "An employee locks a bicycle to the rack and walks to the entrance."),
      ("parking-east", "13:40", "A bicycle is parked at the rack near the east lot.")]),
    ("group protest at the entrance",
     [("gate-north", "12:00", "About fifteen people stand in front of the gate holding signs and banners."),
      ("lobby", "12:20", "A large group of people with placards gathers outside the main doors.")],
     [("lobby", "17:05", "Employees leave the building at the end of the shift."),
      ("gate-north", "13:50", "A sign at the entrance shows the visitor rules.")]),
    ("maintenance person fixing a lamp overhead",
     [("aisle-3", "09:40", "A worker stands on a ladder replacing a ceiling light above aisle 3."),
      ("lobby", "20:15", "A man on a stepladder changes a light fixture in the lobby ceiling.")],
     [("yard", "11:25", "A man carries a ladder across the yard."),
      ("lobby", "21:30", "The lights in the lobby are switched off for the night.")]),
    ("cartons fell from the racking",
     [("aisle-3", "11:02", "A stack of boxes topples from the top shelf onto the aisle floor.")],
     [("aisle-3", "08:50", "Workers stack boxes neatly on a shelf in aisle 3."),
      ("lobby", "14:25", "A box lies open on a table in the lobby.")]),
    ("red van at the north gate",
     [("gate-north", "10:30", "A red delivery van stops at the north gate and the driver speaks to the guard.")],
     [("gate-north", "11:45", "A white van stops at the north gate and the driver shows papers to the guard."),
      ("parking-east", "16:30", "A red car drives out of the east parking lot."),
      ("gate-north", "15:15", "A red fire extinguisher hangs next to the gate booth.")]),
    ("janitor cleaning the floor",
     [("lobby", "06:30", "A cleaner mops the lobby floor, pushing a yellow bucket on wheels."),
      ("aisle-3", "05:50", "A floor scrubber machine is driven slowly down aisle 3 by a cleaning worker.")],
     [("lobby", "19:40", "The lobby floor is shiny and empty."),
      ("lobby", "13:10", "A yellow bucket stands in the corner of the lobby.")]),
    ("car being towed",
     [("parking-east", "14:10", "A tow truck hooks up a grey sedan and pulls it out of the lot.")],
     [("yard", "10:55", "A pickup truck pulls a trailer into the yard."),
      ("parking-east", "09:30", "A car reverses out of a parking space.")]),
    ("someone sneaking around the trailers at night with a torch",
     [("yard", "01:55", "In the dark, a person with a flashlight walks slowly between the parked trailers, looking into them."),
      ("yard", "02:20", "A figure shines a light into the cab of a parked truck in the yard at night.")],
     [("yard", "00:40", "The yard is lit by floodlights; trailers are parked in a row; no one is present."),
      ("yard", "14:30", "A security guard drives a patrol car through the yard.")]),
    ("abandoned luggage",
     [("lobby", "16:40", "A black backpack has been left on a bench in the lobby; nobody is near it."),
      ("gate-north", "17:05", "A suitcase stands alone by the turnstile with no owner in sight.")],
     [("lobby", "09:50", "A visitor carrying a backpack walks to the elevator."),
      ("lobby", "12:55", "A woman sits on the lobby bench with her handbag.")]),
    ("fire exit held open",
     [("dock-2", "15:55", "The emergency exit door next to bay 2 is held open with a chair."),
      ("lobby", "13:35", "A side door marked emergency exit is wedged open with a trash can.")],
     [("lobby", "22:45", "The emergency exit sign above the door is lit."),
      ("dock-2", "20:05", "The dock door at bay 2 is closed.")]),
    ("flooding in the yard",
     [("yard", "04:40", "Water has pooled across the yard entrance after heavy rain, covering the lower half of the trailer wheels.")],
     [("yard", "05:00", "Light rain falls on the yard; trailers are parked."),
      ("yard", "15:40", "A worker washes a truck with a hose in the yard.")]),
    ("person not wearing head protection",
     [("dock-1", "10:50", "A worker on the dock has taken off his hard hat and holds it in his hand."),
      ("aisle-3", "13:30", "A man walks through the warehouse without a safety helmet while the others wear theirs.")],
     [("dock-1", "12:15", "Workers in hard hats and high-visibility vests unload a pallet from a van."),
      ("dock-1", "08:05", "A box of new hard hats sits on a shelf near the dock door.")]),
    ("medical emergency, ambulance arriving",
     [("gate-north", "07:25", "An ambulance with flashing lights drives through the north gate."),
      ("lobby", "07:30", "Two paramedics push a stretcher through the lobby.")],
     [("gate-north", "16:45", "A white van with orange stripes passes the gate."),
      ("lobby", "18:50", "A first aid kit hangs on the lobby wall.")]),
    ("fight in the parking lot",
     [("parking-east", "23:10", "Two men push and punch each other between parked cars.")],
     [("parking-east", "19:15", "Two men talk and laugh next to a parked car."),
      ("parking-east", "11:55", "A man pushes a shopping cart through the lot.")]),
]

BACKGROUND = {
    "dock-1": ["The loading dock is empty and the roller shutter is closed.",
               "A forklift moves a pallet from the dock into the warehouse.",
               "Two workers talk near the dock door, holding clipboards.",
               "Pallets wrapped in plastic are lined up on the dock.",
               "The dock area is quiet; a pallet jack stands by the wall."],
    "dock-2": ["Bay 2 is empty; the shutter is half open.",
               "A worker scans labels on pallets waiting at bay 2.",
               "Stacks of crates wait on the dock floor.",
               "A worker sweeps the floor of bay 2."],
    "gate-north": ["A car stops at the north gate and the barrier lifts.",
                   "The guard in the booth at the north gate reads a newspaper.",
                   "Employees walk through the turnstiles at the north gate.",
                   "The north gate is quiet; the barrier is down.",
                   "A truck waits at the north gate while the guard checks its papers."],
    "lobby": ["The lobby is empty; the receptionist types at a computer.",
              "People wait on the sofas in the lobby.",
              "Two employees walk through the lobby toward the elevators.",
              "A visitor talks with the receptionist.",
              "The lobby is quiet; the lights are dimmed."],
    "parking-east": ["Several cars are parked in the east lot; nobody is moving.",
                     "A car drives slowly through the east lot and parks.",
                     "A woman walks from her car to the building.",
                     "The east parking lot is nearly empty."],
    "aisle-3": ["Aisle 3 is empty; the shelves are fully stocked.",
                "A worker picks items from a shelf into a cart.",
                "A forklift drives slowly down aisle 3 with an empty fork.",
                "Two workers count boxes on the lower shelf."],
    "yard": ["Trailers are parked in a row in the yard; no one is present.",
             "A truck drives across the yard toward the docks.",
             "A worker in a high-visibility vest walks across the yard.",
             "A yard tractor moves a trailer to a new spot."],
    "fence-west": ["The west fence line is quiet; grass moves in the wind.",
                   "The fence and the field beyond it are empty.",
                   "A car passes on the road outside the west fence."],
}
LIGHT = {"night": ["At night, ", "Under floodlights, ", "In the dark, "],
         "day": ["", "", "In daylight, ", "On a cloudy morning, ", "In the afternoon, "]}


def hhmm_to_iso(hhmm, jitter=True):
    h, m = map(int, hhmm.split(":"))
    s = random.randrange(0, 6) * 10 if jitter else 0
    return f"{DAY}T{h:02d}:{m:02d}:{s:02d}Z"


def background_caption(camera, hour):
    text = random.choice(BACKGROUND[camera])
    pre = random.choice(LIGHT["night" if hour < 6 or hour >= 20 else "day"])
    return pre + (text[0].lower() + text[1:] if pre else text)


def main():
    out_dir = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "eval")
    docs, queries, n = [], [], 0

    def add(camera, iso, text):
        nonlocal n
        n += 1
        docs.append({"id": f"w{n:04d}", "cameraId": camera, "windowStart": iso, "text": text})
        return f"w{n:04d}"

    for qi, (q, rel, dis) in enumerate(QUERIES, 1):
        ids = [add(c, hhmm_to_iso(t), text) for c, t, text in rel]
        for c, t, text in dis:
            add(c, hhmm_to_iso(t), text)
        queries.append({"id": f"q{qi:02d}", "text": q, "relevant": ids})
    cams = list(BACKGROUND)
    for _ in range(230):
        cam = random.choice(cams)
        hour = random.randrange(24)
        add(cam, hhmm_to_iso(f"{hour:02d}:{random.randrange(60):02d}"), background_caption(cam, hour))
    random.shuffle(docs)  # ids stay; order in the file says nothing
    with open(os.path.join(out_dir, "summaries.jsonl"), "w") as f:
        for d in sorted(docs, key=lambda d: d["windowStart"]):
            f.write(json.dumps(d) + "\n")
    with open(os.path.join(out_dir, "queries.json"), "w") as f:
        json.dump(queries, f, indent=1)
        f.write("\n")
    print(f"{len(docs)} summaries, {len(queries)} queries")


if __name__ == "__main__":
    main()
