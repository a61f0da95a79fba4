package io.streamsight.sinks.connect;

/** The version Connect reports for our plugins. */
public final class Versions {
  private Versions() {}

  public static String current() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
