package io.streamsight.vlm.serve;

/**
 * A request the server refuses or cannot answer, rendered in OpenAI's error shape ({@code {"error":
 * {"message", "type", "param", "code"}}}) with its HTTP status. The message names what was wrong;
 * it never echoes a token or image data.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final String INVALID_REQUEST = "invalid_request_error";
  public static final String SERVER = "server_error";

  private final int status;
  private final String type;
  private final String param;
  private final String code;

  public ApiError(int status, String type, String param, String code, String message) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** 400: the request is malformed or names a value the server does not support. */
  public static ApiError invalid(String param, String message) {
    return new ApiError(400, INVALID_REQUEST, param, null, message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }
}
