package io.streamsight.archive.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Caption-style sentences for benchmarks, from combinations of parts (seeded, repeatable). */
final class Captions {
  private static final String[] SUBJECTS = {
    "A worker", "Two workers", "A man in a grey jacket", "A woman with a clipboard", "A forklift",
    "A white box truck", "A red van", "A delivery driver", "A security guard", "A cleaner",
    "A cyclist", "A group of people", "A silver sedan", "A yard tractor", "A courier",
    "A person in a high-visibility vest", "A black SUV", "A tow truck", "A dog", "A technician"
  };
  private static final String[] ACTIONS = {
    "walks slowly across",
    "stops next to",
    "unloads pallets at",
    "waits near",
    "drives through",
    "carries boxes toward",
    "parks beside",
    "inspects",
    "sweeps the floor of",
    "talks on a phone at",
    "reverses toward",
    "leaves a package at",
    "climbs the stairs by",
    "checks a badge at",
    "moves a trailer across",
    "repairs a light above",
    "looks around",
    "runs past"
  };
  private static final String[] PLACES = {
    "the loading dock", "bay 2", "the north gate", "the lobby", "the east parking lot",
    "aisle 3", "the yard", "the west fence", "the reception desk", "the turnstiles",
    "the dumpsters", "the fire exit", "the bicycle rack", "the shelves"
  };
  private static final String[] SCENES = {
    "", " It is dark and the floodlights are on.", " The area is otherwise empty.",
    " Rain is falling.", " Several cars are parked nearby.", " The shutter is half open."
  };

  private Captions() {}

  static List<String> distinct(int n, long seed) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>(n);
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (out.size() < n) {
      String s =
          SUBJECTS[r.nextInt(SUBJECTS.length)]
              + " "
              + ACTIONS[r.nextInt(ACTIONS.length)]
              + " "
              + PLACES[r.nextInt(PLACES.length)]
              + "."
              + SCENES[r.nextInt(SCENES.length)];
      if (seen.add(s)) {
        out.add(s);
      }
    }
    return out;
  }

  static final String[] QUERIES = {
    "truck unloading at the dock",
    "someone climbing the fence at night",
    "person near the dumpsters",
    "delivery at the front desk",
    "car towed from the parking lot",
    "dog in the car park",
    "forklift close to a worker",
    "van at the north gate",
    "cleaning the lobby floor",
    "fire exit door",
    "bike at the rack",
    "guard checking badges",
    "group of people at the gate",
    "technician fixing a lamp",
    "someone running in the yard",
    "package left at reception"
  };
}
