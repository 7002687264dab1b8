package dev.clawauth.cli.service;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How often the monitor runs: {@code 15m}, {@code 1h}, {@code 6h}, {@code 1d}. */
public record Every(int amount, char unit) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,4})\\s*(m|min|h|d)");

  public static Every parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
      throw new IllegalArgumentException("--every \"" + text + "\" is not an interval; use minutes, hours"
          + " or days such as 15m, 1h, 6h or 1d.");
    }
    return new Every(Integer.parseInt(m.group(1)), m.group(2).charAt(0));
  }

  /** As a systemd time span. */
  public String systemd() {
    return amount + switch (unit) {
      case 'm' -> "min";
      case 'h' -> "h";
      default -> "d";
    };
  }

  @Override
  public String toString() {
    return amount + String.valueOf(unit);
  }

  /** The five cron fields, for intervals cron can keep exactly: a divisor of an hour or a day, or one day. */
  public String cron() {
    String refused = "cron cannot run something every " + this + "; use minutes that divide an hour (15m, 30m),"
        + " hours that divide a day (1h, 6h, 12h) or 1d.";
    return switch (unit) {
      case 'm' -> {
        if (amount >= 60 && amount % 60 == 0) {
          yield new Every(amount / 60, 'h').cron();
        }
        if (60 % amount != 0) {
          throw new IllegalArgumentException(refused);
        }
        yield amount == 1 ? "* * * * *" : "*/" + amount + " * * * *";
      }
      case 'h' -> {
        if (amount == 24) {
          yield new Every(1, 'd').cron();
        }
        if (24 % amount != 0) {
          throw new IllegalArgumentException(refused);
        }
        yield amount == 1 ? "0 * * * *" : "0 */" + amount + " * * *";
      }
      default -> {
        if (amount != 1) {
          throw new IllegalArgumentException(refused);
        }
        yield "0 0 * * *";
      }
    };
  }
}
