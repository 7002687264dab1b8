package dev.clawauth.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * SIGTERM and SIGINT as a request to stop gracefully. A JVM shutdown hook cannot change the exit
 * status a signal gives (143 for SIGTERM), so the signals are taken from the JVM: the first is
 * handed to the thread waiting in {@link #await}, which stops and returns normally; any later one
 * runs {@code again} (cut what is left, at once).
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is reached through method handles: named in
 * the source, it draws javac's "internal proprietary API" warning, which nothing can suppress and
 * which would fail this module's warning-free build.
 */
final class StopSignals {
  private static final String[] NAMES = {"TERM", "INT"};

  private final CompletableFuture<String> first = new CompletableFuture<>();
  private final Runnable again;

  private StopSignals(Runnable again) {
    this.again = again;
  }

  /**
   * Takes SIGTERM and SIGINT over. Where the JVM keeps a signal for itself (run with -Xrs), that
   * signal keeps its default: the JVM exits through its shutdown hooks as before.
   */
  static StopSignals install(Runnable again) {
    StopSignals s = new StopSignals(again);
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MethodHandle newSignal;
    MethodHandle handle;
    Object handler;
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Consumer<String> received = s::received;
      MethodHandle accept = lookup.findVirtual(Consumer.class, "accept", MethodType.methodType(void.class, Object.class))
          .bindTo(received);
      MethodHandle nameOf = lookup.findVirtual(signalType, "getName", MethodType.methodType(String.class))
          .asType(MethodType.methodType(Object.class, signalType));
      handler = MethodHandleProxies.asInterfaceInstance(handlerType, MethodHandles.filterArguments(accept, 0, nameOf));
      newSignal = lookup.findConstructor(signalType, MethodType.methodType(void.class, String.class));
      handle = lookup.findStatic(signalType, "handle", MethodType.methodType(handlerType, signalType, handlerType));
    } catch (ReflectiveOperationException missing) {
      throw new IllegalStateException("this JVM has no sun.misc.Signal (module jdk.unsupported)", missing);
    }
    for (String name : NAMES) {
      try {
        handle.invoke(newSignal.invoke(name), handler);
      } catch (IllegalArgumentException reserved) {
        // left to the JVM's default
      } catch (Throwable unexpected) {
        throw new IllegalStateException("cannot take SIG" + name + " over", unexpected);
      }
    }
    return s;
  }

  private void received(String name) {
    if (!first.complete("SIG" + name)) {
      again.run();
    }
  }

  /** Waits for the first signal; returns its name (SIGTERM, SIGINT). */
  String await() throws InterruptedException {
    try {
      return first.get();
    } catch (java.util.concurrent.ExecutionException impossible) {
      throw new IllegalStateException(impossible.getCause());
    }
  }
}
