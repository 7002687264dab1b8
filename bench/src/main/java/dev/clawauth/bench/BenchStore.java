package dev.clawauth.bench;

/** The 50-profile store of {@code bench/make-state.sh}, built in Java for the JMH benchmarks. */
final class BenchStore {
  private BenchStore() {}

  static String json(long now) {
    StringBuilder s = new StringBuilder("{\n  \"version\": 1,\n  \"profiles\": {\n");
    String sep = "";
    String[] providers = {"anthropic", "openai", "openrouter"};
    for (int i = 1; i <= 20; i++) {
      String p = providers[i % 3];
      s.append(sep).append(String.format("    \"%s:key%02d\": { \"type\": \"api_key\", \"provider\": \"%s\","
          + " \"key\": \"sk-bench-FAKEFAKEFAKEFAKEFAKE%08d\" }", p, i, p, i));
      sep = ",\n";
    }
    for (int i = 1; i <= 15; i++) {
      s.append(sep).append(String.format("    \"anthropic:token%02d\": { \"type\": \"token\", \"provider\":"
          + " \"anthropic\", \"token\": \"sk-ant-oat01-FAKEFAKEFAKEFAKE%08d\", \"expires\": %d }",
          i, i, now + 30 * 86_400_000L));
    }
    for (int i = 1; i <= 15; i++) {
      s.append(sep).append(String.format("    \"openai-codex:oauth%02d\": { \"type\": \"oauth\", \"provider\":"
          + " \"openai-codex\", \"access\": \"eyFAKEACCESSFAKEACCESS%08d\", \"refresh\":"
          + " \"FAKEREFRESHFAKEREFRESH%08d\", \"expires\": %d, \"accountId\": \"acct-%02d\","
          + " \"email\": \"user%02d@example.invalid\" }", i, i, i, now + 30 * 86_400_000L, i, i));
    }
    s.append("\n  },\n  \"order\": { \"anthropic\": [\"anthropic:token01\", \"anthropic:key03\"] },\n")
        .append("  \"lastGood\": { \"anthropic\": \"anthropic:token01\" },\n")
        .append(String.format("  \"usageStats\": { \"anthropic:key03\": { \"lastUsed\": %d, \"cooldownUntil\": %d,"
            + " \"errorCount\": 2, \"failureCounts\": { \"rate_limit\": 2 }, \"lastFailureAt\": %d } }\n}\n",
            now, now + 600_000L, now));
    return s.toString();
  }
}
