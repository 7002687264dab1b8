package dev.clawauth.gateway.translate;

/** A request field with no counterpart on the upstream's API, which would change the answer if dropped. */
public final class Unsupported extends Exception {
  private final String field;

  public Unsupported(String field, String why) {
    super(field + ": " + why, null, false, false);
    this.field = field;
  }

  /** The field's path in the client's request, as {@code messages[2].content[0].type}. */
  public String field() {
    return field;
  }
}
