package io.streamsight.vlm.operator.types;

/**
 * One record of {@code vlm.rules}: an add/update ({@code rule} set), a delete (tombstone: both
 * null) or a rejection (invalid rule, dead-lettered with the reason).
 */
public record RuleChange(String ruleId, Rule rule, Rejected rejected) {
  public boolean isDelete() {
    return rule == null && rejected == null;
  }
}
