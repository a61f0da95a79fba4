package io.streamsight.deploy.demo;

/** One running part of the demo, started in order and closed in reverse order. */
interface Stage extends AutoCloseable {
  String name();

  void start() throws Exception;

  @Override
  void close();
}
