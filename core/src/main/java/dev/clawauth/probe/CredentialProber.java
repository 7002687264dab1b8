package dev.clawauth.probe;

import dev.clawauth.config.ClawConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes one cheap authenticated request per credential and classifies the answer, at most
 * {@code concurrency} at a time, each bounded by {@code timeout}. Reads nothing from disk and
 * writes nothing: a probe is a status check, not a use, so it records no cooldown either.
 */
public final class CredentialProber implements AutoCloseable {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(8);
  public static final int DEFAULT_CONCURRENCY = 4;

  private final ClawConfig config;
  private final Duration timeout;
  private final int concurrency;
  private final HttpClient client;

  public CredentialProber(ClawConfig config, Duration timeout, int concurrency) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("The probe timeout must be positive.");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("The probe concurrency must be at least 1.");
    }
    this.config = config;
    this.timeout = timeout;
    this.concurrency = concurrency;
    // Redirects are not followed: a credential header must never travel to a host we did not pick.
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  public Duration timeout() {
    return timeout;
  }

  public int concurrency() {
    return concurrency;
  }

  /** Probes every target; the results come back in the targets' order. */
  public List<ProbeResult> probe(List<ProbeTarget> targets) {
    Semaphore slots = new Semaphore(concurrency);
    List<Future<ProbeResult>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (ProbeTarget t : targets) {
        futures.add(pool.submit(() -> {
          slots.acquire();
          try {
            return probeOne(t);
          } finally {
            slots.release();
          }
        }));
      }
      List<ProbeResult> out = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          out.add(futures.get(i).get());
        } catch (ExecutionException e) {
          out.add(new ProbeResult(targets.get(i), ProbeStatus.ERROR, 0, 0, null,
              e.getCause().getClass().getSimpleName()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.add(new ProbeResult(targets.get(i), ProbeStatus.ERROR, 0, 0, null, "interrupted"));
        }
      }
      return out;
    }
  }

  /** Probes one credential. */
  public ProbeResult probeOne(ProbeTarget t) {
    if (t.skipReason() != null) {
      return new ProbeResult(t, ProbeStatus.SKIPPED, 0, 0, null, t.skipReason());
    }
    Optional<ProviderApis.Api> api = ProviderApis.forProvider(t.provider(), config);
    if (api.isEmpty()) {
      return new ProbeResult(t, ProbeStatus.UNSUPPORTED, 0, 0, null,
          "unknown provider API; set models.providers." + t.provider()
              + ".baseUrl for an OpenAI-compatible one");
    }
    HttpRequest request;
    try {
      request = api.get().request(t, timeout);
    } catch (IllegalArgumentException badUrl) {
      return new ProbeResult(t, ProbeStatus.ERROR, 0, 0, null,
          "invalid base URL for " + t.provider() + " (models.providers." + t.provider() + ".baseUrl)");
    }
    String endpoint = request.uri().toString();
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> call = client.sendAsync(request, info ->
        info.statusCode() / 100 == 2
            ? HttpResponse.BodySubscribers.replacing("")
            : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8));
    try {
      // The request timeout covers the wait for headers; this bound also covers a slow body.
      HttpResponse<String> r = call.get(timeout.toMillis() + 250, TimeUnit.MILLISECONDS);
      long ms = elapsed(start);
      int code = r.statusCode();
      if (code / 100 == 2) {
        return new ProbeResult(t, ProbeStatus.OK, code, ms, endpoint, "HTTP " + code);
      }
      return new ProbeResult(t, ProbeStatus.of(code, r.body()), code, ms, endpoint, "HTTP " + code);
    } catch (TimeoutException e) {
      call.cancel(true);
      return timedOut(t, start, endpoint);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        return timedOut(t, start, endpoint);
      }
      String what = cause instanceof ConnectException
          ? "cannot connect to " + request.uri().getHost()
              + (request.uri().getPort() > 0 ? ":" + request.uri().getPort() : "")
          : cause instanceof IOException io && io.getMessage() != null
              ? io.getClass().getSimpleName() + ": " + io.getMessage()
              : cause.getClass().getSimpleName();
      return new ProbeResult(t, ProbeStatus.NETWORK, 0, elapsed(start), endpoint, what);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return new ProbeResult(t, ProbeStatus.ERROR, 0, elapsed(start), endpoint, "interrupted");
    }
  }

  private ProbeResult timedOut(ProbeTarget t, long start, String endpoint) {
    return new ProbeResult(t, ProbeStatus.TIMEOUT, 0, elapsed(start), endpoint,
        "no answer within " + timeout.toMillis() + " ms");
  }

  private static long elapsed(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Override
  public void close() {
    // A provider that never answers must not keep the command waiting after its results are in.
    client.shutdownNow();
  }
}
