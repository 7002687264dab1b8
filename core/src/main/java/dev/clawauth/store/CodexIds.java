package dev.clawauth.store;

import dev.clawauth.config.ClawConfig;

/**
 * The one rule for which provider id ChatGPT (Codex) OAuth has in each store era. OpenClaw 2026.1
 * and the documents store it as {@code openai-codex}. OpenClaw 2026.9 stores it as {@code openai}
 * (type {@code oauth}) and treats {@code openai-codex:*} as legacy, never refreshing it; so on its
 * SQLite store Clawauth writes {@code openai} and reads an {@code openai} OAuth profile as Codex.
 * API-key and token profiles of {@code openai} stay plain OpenAI in every era.
 */
public final class CodexIds {
  /** The id of the Codex login flow and of Codex profiles outside the SQLite era. */
  public static final String CODEX = "openai-codex";
  /** OpenClaw 2026.9's id for ChatGPT OAuth (and for OpenAI API keys, as ever). */
  public static final String OPENAI = "openai";

  private CodexIds() {}

  /** The provider id a new Codex login is stored under in this era. */
  public static String stored(StoreKind era) {
    return era == StoreKind.SQLITE ? OPENAI : CODEX;
  }

  /** Whether an OAuth credential of {@code provider} is ChatGPT Codex OAuth in this era. */
  public static boolean isCodexOAuth(StoreKind era, String provider) {
    String p = Providers.normalize(provider);
    return p.equals(CODEX) || (era == StoreKind.SQLITE && p.equals(OPENAI));
  }

  /** Whether this stored credential is ChatGPT Codex OAuth in this era. */
  public static boolean isCodexOAuth(StoreKind era, Credential c) {
    return c instanceof Credential.OAuth && isCodexOAuth(era, c.provider());
  }

  /**
   * The provider whose login flow refreshes (and re-creates) an OAuth credential of
   * {@code provider}: the Codex flow for Codex OAuth, else the provider itself.
   */
  public static String oauthFlow(StoreKind era, String provider) {
    return isCodexOAuth(era, provider) ? CODEX : Providers.normalize(provider);
  }

  /**
   * The login flow a user's {@code --provider} asks for: {@code openai} with no method or
   * {@code oauth} means the Codex flow in the SQLite era, where that is what {@code openai} OAuth is.
   */
  public static String loginFlow(StoreKind era, String requested, String method) {
    boolean oauth = method == null || method.isBlank() || method.trim().equalsIgnoreCase("oauth");
    return era == StoreKind.SQLITE && oauth && Providers.same(requested, OPENAI) ? CODEX : requested;
  }

  /**
   * The id a Codex login given {@code requested} stores under: on the SQLite store an
   * {@code openai-codex:<x>} id becomes {@code openai:<x>}, as OpenClaw 2026.9's doctor renames it.
   */
  public static String profileId(StoreKind era, String requested) {
    String prefix = CODEX + ":";
    return era == StoreKind.SQLITE && requested.regionMatches(true, 0, prefix, 0, prefix.length())
        ? OPENAI + ":" + requested.substring(prefix.length()) : requested;
  }

  /** Whether this profile is a Codex OAuth profile OpenClaw 2026.9 calls legacy (and never refreshes). */
  public static boolean isLegacyOnOpenClaw9(StoreKind era, Credential c) {
    return isLegacyOnOpenClaw9(era, c.provider(), c.type());
  }

  /** As above, for a profile named by its provider and type ({@code oauth}, ...). */
  public static boolean isLegacyOnOpenClaw9(StoreKind era, String provider, String type) {
    return era == StoreKind.SQLITE && "oauth".equals(type) && Providers.same(provider, CODEX);
  }

  /** The model a Codex login suggests as the default: OpenClaw 2026.9's own Codex default there. */
  public static String defaultModel(StoreKind era) {
    return era == StoreKind.SQLITE ? ClawConfig.OPENCLAW_2026_9_DEFAULT_MODEL : CODEX + "/gpt-5.2";
  }
}
