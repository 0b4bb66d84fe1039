package io.convergence.vsphere.vim;

import io.convergence.vsphere.vim.internal.SoapParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Test resources under {@code vim25/}: recorded exchanges and vCenter-shaped fixtures. */
public final class Fixtures {
  private Fixtures() {}

  /** One recorded exchange between govmomi and vcsim. */
  public record Exchange(
      String name,
      String request,
      Map<String, String> requestHeaders,
      byte[] response,
      int status,
      Map<String, String> responseHeaders) {

    /** {@return the parsed response element, or fails for a fault} */
    public VimValue responseValue() {
      SoapParser.Parsed p = SoapParser.parse(response);
      if (p.response() == null) {
        throw new AssertionError(name + " is a fault: " + p.fault());
      }
      return p.response();
    }

    /** {@return the parsed fault, or fails} */
    public VimFault fault() {
      SoapParser.Parsed p = SoapParser.parse(response);
      if (p.fault() == null) {
        throw new AssertionError(name + " is not a fault");
      }
      return p.fault();
    }

    /** {@return the response body as text} */
    public String responseText() {
      return new String(response, StandardCharsets.UTF_8);
    }
  }

  /**
   * The resource's bytes.
   *
   * @param path under {@code vim25/}
   * @return the bytes
   */
  public static byte[] bytes(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/vim25/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource vim25/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The resource's text.
   *
   * @param path under {@code vim25/}
   * @return the text
   */
  public static String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  /**
   * Every recorded exchange, in call order.
   *
   * @return the exchanges
   */
  public static List<Exchange> recorded() {
    Path dir = recordedDir();
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".request.xml"))
              .map(n -> n.substring(0, n.length() - ".request.xml".length()))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Exchange> out = new ArrayList<>();
    for (String n : names) {
      out.add(exchange(n));
    }
    return out;
  }

  /**
   * One recorded exchange by its number, e.g. {@code 21} for {@code 21-CloneVM_Task-linked}.
   *
   * @param number the step number
   * @return the exchange
   */
  public static Exchange recorded(int number) {
    String prefix = String.format("%02d-", number);
    return recorded().stream()
        .filter(e -> e.name().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no recorded exchange " + prefix));
  }

  private static Exchange exchange(String name) {
    String base = "recorded/" + name;
    Map<String, String> respHeaders = headers(text(base + ".response.headers"));
    String statusLine = text(base + ".response.headers").lines().findFirst().orElse("HTTP 200");
    return new Exchange(
        name,
        text(base + ".request.xml"),
        headers(text(base + ".request.headers")),
        bytes(base + ".response.xml"),
        Integer.parseInt(statusLine.substring("HTTP ".length()).trim()),
        respHeaders);
  }

  private static Map<String, String> headers(String text) {
    Map<String, String> h = new LinkedHashMap<>();
    text.lines()
        .skip(1)
        .forEach(
            l -> {
              int colon = l.indexOf(':');
              if (colon > 0) {
                h.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
              }
            });
    return h;
  }

  private static Path recordedDir() {
    @Nullable URL url = Fixtures.class.getResource("/vim25/recorded");
    if (url == null) {
      throw new IllegalStateException("no vim25/recorded on the test classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
