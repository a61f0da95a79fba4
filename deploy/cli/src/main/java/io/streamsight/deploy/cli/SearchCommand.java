package io.streamsight.deploy.cli;

import io.streamsight.archive.ArchiveReader;
import io.streamsight.archive.index.ArchiveDoc.Kind;
import io.streamsight.archive.search.Hit;
import io.streamsight.archive.search.HitFormat;
import io.streamsight.archive.search.SearchRequest;
import io.streamsight.archive.search.TimeSpec;
import io.streamsight.embeddings.MiniLmEmbedder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamsight search "TEXT" --dir DIR ...}: hybrid search over an archive. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search archived summaries and alerts: BM25 over the text plus MiniLM semantic vectors,"
          + " fused by reciprocal rank. Filters are exact and applied inside both searches.",
      "Times: ISO-8601 (2026-11-20T08:00:00Z, 2026-11-20T08:00 local, 2026-11-20) or relative"
          + " (-24h, -30m, -7d). A window matches when it starts at or after --since and before"
          + " --until."
    })
public final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "TEXT", description = "What to look for.")
  String text;

  @Option(names = "--dir", required = true, description = "Archive directory.")
  Path dir;

  @Option(names = "--similar-to", paramLabel = "ID", description = "Find windows like this one.")
  String similarTo;

  @Option(names = "--camera", paramLabel = "GLOB", description = "Camera glob (* and ?).")
  String camera;

  @Option(names = "--since", paramLabel = "T", description = "Windows starting at or after T.")
  String since;

  @Option(names = "--until", paramLabel = "T", description = "Windows starting before T.")
  String until;

  @Option(names = "--kind", description = "summary or alert.")
  String kind;

  @Option(names = "--limit", defaultValue = "10", description = "Hits (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "One JSON object per hit.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SearchRequest request = request();
    try (MiniLmEmbedder embedder = MiniLmEmbedder.load(0);
        ArchiveReader reader = ArchiveReader.open(dir, embedder)) {
      List<Hit> hits;
      try {
        hits = reader.search(request);
      } catch (IllegalArgumentException e) { // e.g. --similar-to an id the archive does not hold
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (json) {
        hits.forEach(h -> System.out.println(HitFormat.json(h)));
      } else {
        System.out.print(HitFormat.table(hits));
      }
    }
    return 0;
  }

  private SearchRequest request() {
    try {
      Instant now = Instant.now();
      ZoneId zone = ZoneId.systemDefault();
      return new SearchRequest(
          text,
          similarTo,
          camera,
          since == null ? null : TimeSpec.parseMicros(since, now, zone),
          until == null ? null : TimeSpec.parseMicros(until, now, zone),
          kind == null ? null : Kind.parse(kind),
          limit,
          SearchRequest.Mode.HYBRID);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
