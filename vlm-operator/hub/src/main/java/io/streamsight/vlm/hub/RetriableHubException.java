package io.streamsight.vlm.hub;

/** A transient failure (network error, 5xx, 429): the puller backs off and tries again. */
public class RetriableHubException extends HubException {
  public RetriableHubException(String message, Throwable cause) {
    super(Kind.TRANSIENT, message, cause);
  }

  @Override
  public boolean retriable() {
    return true;
  }
}
